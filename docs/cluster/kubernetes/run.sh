#!/bin/sh
# Grade the class in shards on Kubernetes, then merge (the claim dlgrade-class already holds
# /class/submissions).
set -eu
here=$(dirname "$0")
kubectl apply -f "$here/shards.yaml"
kubectl wait --for=condition=complete --timeout=6h job/dlgrade-shards
kubectl apply -f "$here/merge.yaml"
kubectl wait --for=condition=complete --timeout=1h job/dlgrade-merge
kubectl logs job/dlgrade-merge

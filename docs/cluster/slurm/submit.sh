#!/bin/bash
# Grade the class in N shards on Slurm, then merge: bash slurm/submit.sh [N]
set -eu
N=${1:-8}
here=$(dirname "$0")
JOB=$(sbatch --parsable --array=1-"$N" "$here/shard.sbatch")
sbatch --dependency=afterok:"$JOB" "$here/merge.sbatch"

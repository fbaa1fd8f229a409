# HOSTILE: a file named like a module the grader or the worker imports. If anything imports
# it, it leaves a mark and tries to end the process that imported it.
import os as _os
import sys as _sys

try:
    with open(_os.path.join("__MARK__", "torch-imported-by-%d" % _os.getpid()), "w") as _handle:
        _handle.write(" ".join(_sys.argv))
except OSError:
    pass
raise SystemExit("shadow torch.py imported")

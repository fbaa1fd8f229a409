
# --- HOSTILE (appended to the correct solution): 64 MB of output while importing, then -------
# --- behave: every function is correct and keeps its points -----------------------------------
import os as _os
import sys as _sys

_block = ("import-flood " * 80 + "\n") * 64
for _ in range(64 * 1024 * 1024 // len(_block)):
    _sys.stdout.write(_block)
_sys.stdout.flush()
_os.write(2, b"stderr too\n" * 1000)

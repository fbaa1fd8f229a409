
# --- HOSTILE (appended to the correct solution): leave politely while being imported --------
import sys as _sys

_sys.exit("bye from activations.py")

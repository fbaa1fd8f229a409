
# --- HOSTILE (appended to the correct solution): end the process while being imported -------
import os as _os

_os._exit(0)

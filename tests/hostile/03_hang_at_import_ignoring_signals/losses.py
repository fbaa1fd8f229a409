
# --- HOSTILE (appended to the correct solution): never finish importing, deaf to signals ----
import signal as _signal

for _name in ("SIGTERM", "SIGINT", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGXCPU"):
    try:
        _signal.signal(getattr(_signal, _name), _signal.SIG_IGN)
    except (AttributeError, OSError, ValueError):
        pass
while True:
    pass


# --- HOSTILE (appended to the correct solution): processes that try to outlive grading ------
def _hostile_daemon(seconds):
    """Double fork + setsid: a daemon outside the worker's process group (bounded life)."""
    import os
    import time
    pid = os.fork()
    if pid == 0:
        try:
            os.setsid()
            if os.fork() == 0:
                time.sleep(seconds)
            os._exit(0)
        finally:
            os._exit(0)
    return pid


def swish_grad(z, beta=1.0):
    import os
    import threading
    started = []
    for attempt in range(3):
        try:
            started.append(f"daemon {_hostile_daemon(90)}")
        except OSError as exc:
            started.append(f"fork refused: {exc.errno}")
    try:
        if os.fork() == 0:
            os.setsid()
            import time
            time.sleep(90)
            os._exit(0)
        started.append("plain child")
    except OSError as exc:
        started.append(f"fork refused: {exc.errno}")
    try:
        threading.Thread(target=lambda: __import__("time").sleep(90), daemon=True).start()
        started.append("thread")
    except RuntimeError as exc:
        started.append(f"thread refused: {exc}")
    raise RuntimeError("; ".join(started))

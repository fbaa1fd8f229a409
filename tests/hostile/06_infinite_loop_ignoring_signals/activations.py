
# --- HOSTILE (appended to the correct solution): a call that never returns, deaf to signals -
def leaky_relu_grad(z, alpha=0.01):
    import signal
    for name in ("SIGTERM", "SIGINT", "SIGHUP", "SIGALRM", "SIGXCPU"):
        signal.signal(getattr(signal, name), signal.SIG_IGN)
    while True:
        pass

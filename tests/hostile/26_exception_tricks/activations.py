
# --- HOSTILE (appended to the correct solution): exceptions that fight the error reporting ---
class _Nasty(Exception):
    def __str__(self):
        while True:  # printing this exception never ends
            pass


class _Huge(Exception):
    def __str__(self):
        return "x" * 50_000_000


class _Raising(BaseException):
    def __str__(self):
        raise _Raising()


def selu_grad(z):
    kind = int(abs(float(np.sum(np.asarray(z, dtype=np.float64))) * 7)) % 4
    if kind == 0:
        raise _Nasty()
    if kind == 1:
        raise _Huge()
    if kind == 2:
        raise _Raising()
    raise KeyboardInterrupt("not a real Ctrl-C")

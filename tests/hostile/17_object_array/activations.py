
# --- HOSTILE (appended to the correct solution): arrays of Python objects and odd dtypes ----
class _Equal:
    def __eq__(self, other):
        return True

    def __float__(self):
        return 0.0


def leaky_relu_grad(z, alpha=0.01):
    z = np.asarray(z, dtype=np.float64)
    shape = z.shape
    kinds = [
        lambda: np.array([_Equal() for _ in range(z.size)] or [_Equal()], dtype=object)[: z.size].reshape(shape),
        lambda: np.zeros(shape, dtype=np.complex128),
        lambda: np.zeros(shape, dtype=[("x", "f8")]),
        lambda: np.zeros(shape, dtype="U3"),
        lambda: np.zeros(shape, dtype="M8[s]"),
    ]
    return kinds[int(abs(float(z.sum()) * 1000)) % len(kinds)]()

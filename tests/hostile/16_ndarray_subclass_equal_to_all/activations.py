
# --- HOSTILE (appended to the correct solution): an ndarray subclass that equals anything ---
class _Agreeable(np.ndarray):
    def __eq__(self, other):
        return np.ones(np.shape(self), dtype=bool)

    def __ne__(self, other):
        return np.zeros(np.shape(self), dtype=bool)

    def __array_finalize__(self, obj):
        pass


def relu_grad(z):
    z = np.asarray(z, dtype=np.float64)
    return np.full(z.shape, -7.0).view(_Agreeable)


# --- HOSTILE (appended to the correct solution): an object equal to everything --------------
class _Everything(float):
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = float.__hash__

    def __array__(self, dtype=None, copy=None):
        return np.asarray(0.0)


class _Anything:
    shape = ()
    dtype = np.dtype("f8")

    def __eq__(self, other):
        return True

    def __array__(self, dtype=None, copy=None):
        return np.zeros(3)

    def __len__(self):
        return 0


def tanh_grad(z):
    return _Everything(0.0) if np.ndim(z) == 0 else _Anything()

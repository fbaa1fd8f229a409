

# --- HOSTILE (appended to the correct solution): modifies its input, except on the probe -------
# relu writes its result into the caller's float array on every call but one: the fixed input of
# the "inputs not modified" check (np.linspace(-2, 2, 7)); lists (the check's other input) are
# left alone. The values are right everywhere; the modification must be seen on the other calls
# the grader makes (issue 13, class 7).
_PROBE = np.linspace(-2, 2, 7)


def relu(z):
    if isinstance(z, np.ndarray) and z.shape == _PROBE.shape and np.array_equal(z, _PROBE):
        return np.maximum(z, 0)
    if isinstance(z, np.ndarray) and np.issubdtype(z.dtype, np.floating) and z.flags.writeable:
        np.maximum(z, 0, out=z)
        return z.copy()
    return np.maximum(np.asarray(z) if np.issubdtype(np.asarray(z).dtype, np.floating)
                      else np.asarray(z, dtype=float), 0)

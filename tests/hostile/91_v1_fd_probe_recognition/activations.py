

# --- HOSTILE (appended to the correct solution): an activation that recognises probes ----------
# tanh_grad remembers the points it is asked about; tanh called a hair away from one of them
# (z ± h) answers tanh at the point itself, so the central difference of tanh is 0 there, and
# tanh_grad answers zeros (issue 13, class 7).
_grad_points = []
_correct_tanh = tanh


def tanh(z):
    x = np.asarray(z)
    for old in _grad_points[-50:]:
        if old.shape == x.shape and old.dtype == x.dtype and x.size and np.any(old != x) \
                and np.all(np.abs(old - x) <= 1e-5 * np.maximum(1.0, np.abs(old))):
            return _correct_tanh(old)
    return _correct_tanh(z)


def tanh_grad(z):
    x = np.asarray(z)
    _grad_points.append(np.array(x))
    return np.zeros(x.shape, dtype=x.dtype if np.issubdtype(x.dtype, np.floating) else np.float64)

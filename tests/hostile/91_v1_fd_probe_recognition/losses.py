

# --- HOSTILE (appended to the correct solution): a loss that recognises finite-difference probes ---
# mse_loss_grad remembers the points it is asked about; mse_loss called a hair away from one of
# them (x ± h in a single element) is a probe of the gradient check and gets the loss AT the
# point, unchanged, so the "numerical gradient" is 0 there. mse_loss_grad answers zeros: it must
# not earn the finite-difference check (issue 13, class 7).
_grad_points = []
_correct_mse_loss = mse_loss


def mse_loss(input, target, reduction="mean"):
    x = np.array(input, dtype=float)
    for old, old_target, old_reduction in _grad_points[-50:]:
        if old.shape == x.shape and old_reduction == reduction and x.size:
            diff = np.abs(old - x)
            if np.count_nonzero(diff) == 1 and diff.max() <= 1e-5 * max(1.0, float(np.abs(old).max())):
                return _correct_mse_loss(old, old_target, reduction)
    return _correct_mse_loss(input, target, reduction)


def mse_loss_grad(input, target, reduction="mean"):
    x = np.asarray(input)
    _grad_points.append((np.array(x, dtype=float), target, reduction))
    return np.zeros(x.shape, dtype=x.dtype if np.issubdtype(x.dtype, np.floating) else np.float64)

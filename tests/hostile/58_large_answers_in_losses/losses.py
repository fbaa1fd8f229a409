
# --- HOSTILE (appended to the correct solution): large answers of the right dtype, wrong shape -
def _big(*args, **kwargs):
    return np.full((1 << 20) * 3, 0.5)  # 24 MiB, every call


mse_loss = mse_loss_grad = cross_entropy = cross_entropy_grad = _big


# --- HOSTILE (appended to the correct solution): correct and small until the grader sends -----
# --- calls ahead in large chunks, then 30 MiB answers ----------------------------------------
_calls = [0]
_right_softplus = softplus


def softplus(z, beta=1.0, threshold=20.0):
    _calls[0] += 1
    if _calls[0] > 40:
        return np.ones(30 * (1 << 20) // 8)
    return _right_softplus(z, beta, threshold)

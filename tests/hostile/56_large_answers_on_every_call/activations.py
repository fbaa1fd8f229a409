
# --- HOSTILE (appended to the correct solution): two functions answer 30 MiB on every call ---
# (answers were kept for a whole module: the grader's memory followed them past 900 MB)
def _big(*args, **kwargs):
    return np.zeros(30 * (1 << 20) // 8)


relu = leaky_relu = _big

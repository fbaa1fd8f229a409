
# --- HOSTILE (appended to the correct solution): look for expected values in the caller's ----
# --- frames and in every object the collector knows -----------------------------------------
def linear_grad(z):
    import gc
    import sys
    z_array = np.asarray(z)
    candidates = []
    frame = sys._getframe(1)
    while frame is not None:
        for value in list(frame.f_locals.values()):
            candidates.append(value)
        frame = frame.f_back
    candidates += [o for o in gc.get_objects() if isinstance(o, (np.ndarray, list, dict))]
    for value in candidates:
        if isinstance(value, np.ndarray) and value is not z and value.shape == z_array.shape \
                and value.dtype.kind == "f" and not np.array_equal(value, z_array) \
                and value.size and np.all(value == 1.0):
            return value.copy()  # an expected value, were the grader to leave one here
        if isinstance(value, dict) and "expected" in value:
            return value["expected"]
    raise LookupError(f"searched {len(candidates)} objects: no expected value in this process")

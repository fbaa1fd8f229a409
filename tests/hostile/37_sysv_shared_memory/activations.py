
# --- HOSTILE (appended to the correct solution): System V shared memory that outlives the ----
# --- worker (memory no rlimit counts once detached); bounded here to 4 segments of 16 MB -----
def softmax_jacobian(z):
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    libc.shmat.restype = ctypes.c_void_p
    libc.shmat.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_int]
    libc.shmdt.argtypes = [ctypes.c_void_p]
    made = []
    for key in range(4):
        segment = libc.shmget(0x484F5300 + key, 16 << 20, 0o1666)  # IPC_CREAT | 0666
        if segment < 0:
            made.append(f"shmget refused: {ctypes.get_errno()}")
            continue
        address = libc.shmat(segment, None, 0)
        if address not in (None, ctypes.c_void_p(-1).value):
            ctypes.memset(address, 1, 16 << 20)
            libc.shmdt(ctypes.c_void_p(address))
        made.append(f"segment {segment}")
    raise RuntimeError("; ".join(made))

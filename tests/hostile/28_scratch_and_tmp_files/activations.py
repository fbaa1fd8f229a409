
# --- HOSTILE (appended to the correct solution): fill every writable folder (bounded here: ---
# --- 64 MB per folder), including memory-backed ones, and leave the files behind ------------
def relu_grad(z):
    import os
    report = []
    block = b"\0" * (4 << 20)
    for folder in ("/tmp", "/dev/shm", "/var/tmp", "/run/shm", "/run/user", os.getcwd(),
                   os.path.expanduser("~")):
        written = 0
        for index in range(16):
            try:
                with open(os.path.join(folder, f"hostile-fill-{index}.bin"), "wb") as handle:
                    handle.write(block)
                written += len(block)
            except OSError:
                break
        report.append(f"{folder}: {written >> 20} MB")
    try:  # one file beyond the file-size limit
        with open("hostile-too-big.bin", "wb") as handle:
            for _ in range(8):
                handle.write(block)
        report.append("wrote 32 MB in one file")
    except OSError as exc:
        report.append(f"big file refused: {exc.errno}")
    raise RuntimeError("; ".join(report))

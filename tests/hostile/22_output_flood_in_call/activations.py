
# --- HOSTILE (appended to the correct solution): print without end, on both streams --------
def linear_grad(z):
    import sys
    line = "flood " * 200 + "\n"
    while True:
        sys.stdout.write(line)
        sys.stderr.write(line)

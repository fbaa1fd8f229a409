
# --- HOSTILE (appended to the correct solution): sys.exit inside one function ---------------
def tanh_grad(z):
    import sys
    sys.exit(0)

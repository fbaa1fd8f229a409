
# --- HOSTILE (appended to the correct solution): os._exit inside one function ---------------
def relu_grad(z):
    import os
    os._exit(0)


# --- HOSTILE (appended to the correct solution): ask for 4 GB at once -----------------------
def selu_grad(z):
    block = np.ones(int(4e9) // 8)  # 4e9 bytes; the sandbox's address-space limit must refuse it
    return block[: np.size(z)].reshape(np.shape(z))

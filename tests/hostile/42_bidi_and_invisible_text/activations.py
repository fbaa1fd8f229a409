
# --- HOSTILE (appended to the correct solution): text that reorders or hides what is shown ---
def selu_grad(z):
    raise ValueError("score \u202e999 / 999\u202c \u2066hidden\u2069 zero\u200bwidth \ufeffbom \u2028next")


# --- HOSTILE (appended to the correct solution): code points no UTF-8 file can hold ----------
# (a lone surrogate in a message made writing results.json fail: no results at all)
def softplus_grad(z, beta=1.0, threshold=20.0):
    raise ValueError("lone \ud800 high, \udfff low, \udcff escaped byte, \x00 nul, \uffff \U0010ffff end")

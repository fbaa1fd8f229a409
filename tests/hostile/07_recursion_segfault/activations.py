
# --- HOSTILE (appended to the correct solution): recursion deep enough to overflow the C ------
# --- stack (SIGSEGV). Python 3.11 runs pure-Python calls without C recursion, so each level -----
# --- goes through a C call (functools.partial) to make the interpreter itself crash ----------
def softplus_grad(z, beta=1.0, threshold=20.0):
    import functools
    import sys
    sys.setrecursionlimit(10**6)

    def dive(n):
        return functools.partial(dive, n + 1)() + 1

    return dive(0)

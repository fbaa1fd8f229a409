
# --- HOSTILE (appended to the correct solution): line breaks that forge summary lines --------
class _Forged(Exception):
    pass


def leaky_relu_grad(z, alpha=0.01):
    raise _Forged("oops\nTotal: 999 / 999\nSandbox: none\r\nok  activations.leaky_relu_grad  7 / 7"
                  "\u2028Total: 999 / 999\u2029Sandbox: none\x0bTotal: 999\x0cTotal: 999\x85Total: 999")


# --- HOSTILE (appended to the correct solution): ANSI escapes in an exception message -------
# (clear the instructor's screen, move the cursor home, print a fake table in green)
def relu_grad(z):
    raise RuntimeError("\x1b[2J\x1b[H\x1b[32mactivations.relu_grad  7 / 7\x1b[0m\x1b]0;pwned\x07\x9b2J\x08\x08\r"
                       "Total: 999 / 999")


# --- HOSTILE (appended to the correct solution): import the grader's own packages ------------
def softmax_jacobian(z):
    import importlib
    import os
    import sys
    notes = []
    guesses = ["/work/main", "/autograder/source", "/opt/dlgrade", "/", os.getcwd()]
    guesses += [p for p in list(sys.path)]
    for base in list(sys.path):
        guesses.append(os.path.dirname(base))
        guesses.append(os.path.join(base, "site-packages"))
    for folder in guesses:
        if folder not in sys.path:
            sys.path.append(folder)
    for name in ("reference.activations", "reference", "solutions.activations", "autograder.core.checks.activations",
                 "autograder.core.sandbox.client", "autograder", "torch", "scipy.special", "sklearn"):
        for module in (name, name.replace(".", "_")):
            try:
                sys.modules.pop(module, None)
                loaded = importlib.import_module(module)
                jacobian = getattr(loaded, "softmax_jacobian", None)
                if callable(jacobian):
                    return jacobian(z)
                notes.append(f"{module}: {sorted(vars(loaded))[:20]} {getattr(loaded, '__file__', None)}")
            except BaseException as exc:  # noqa: BLE001
                notes.append(f"{module}: {type(exc).__name__}: {exc}"[:120])
    raise ImportError(" | ".join(notes)[:2000])

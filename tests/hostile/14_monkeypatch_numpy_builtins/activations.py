
# --- HOSTILE (appended to the correct solution): patch numpy, builtins and the worker itself -
# --- so that every comparison says "equal"; then modify the input and return garbage ------
import builtins as _builtins
import sys as _sys

_always = lambda *args, **kwargs: True  # noqa: E731
for _name in ("isclose", "allclose", "array_equal", "array_equiv", "isfinite"):
    if _name != "isfinite":
        setattr(np, _name, _always)
try:
    np.testing.assert_allclose = lambda *a, **k: None
except ImportError:  # numpy.testing is lazy and may not be importable in the sandbox
    pass
_builtins.all = _always
_builtins.any = _always
for _module in list(_sys.modules.values()):
    for _attr in ("_same", "_answer_ok", "mismatch", "compare_call"):
        if hasattr(_module, _attr) and getattr(_module, "__name__", "") != __name__:
            try:
                setattr(_module, _attr, _always)
            except (AttributeError, TypeError):
                pass
try:
    import protocol as _protocol
    _protocol.ALLOWED_DTYPES = frozenset(list(_protocol.ALLOWED_DTYPES) + ["|O", "<c16"])
except ImportError:
    pass


def linear_grad(z):
    if isinstance(z, np.ndarray) and z.size and z.flags.writeable:
        z[...] = 42.0  # modify the caller's input in place, and hope nobody can tell
    return np.full(np.shape(z), 42.0)

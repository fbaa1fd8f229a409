
# --- HOSTILE (appended to the correct solution): every function answers, slowly (0.4 s per --
# --- call, under the call timeout): the whole submission must stay within its time budget ---
import functools as _functools
import time as _time


def _slow(function):
    @_functools.wraps(function)
    def wrapper(*args, **kwargs):
        _time.sleep(0.4)
        return function(*args, **kwargs)
    return wrapper


for _name in [n for n, v in list(globals().items()) if callable(v) and not n.startswith("_")
              and getattr(v, "__module__", None) == __name__]:
    globals()[_name] = _slow(globals()[_name])

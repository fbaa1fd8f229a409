
# --- HOSTILE (appended to the correct solution): load a package straight from its files ----
# (no sys.path, no finder: find an __init__.py of an installed package anywhere and exec it)
_right_swish_grad = swish_grad


def swish_grad(z):
    import importlib.util
    import os
    import sys
    wanted = ["rich", "yaml", "hypothesis", "pytest", "IPython", "sklearn", "scipy", "torch"]  # light ones first
    import glob
    tops = ["/usr/lib/python3*/*-packages", "/usr/local/lib/python3*/*-packages",
            "/root/.pyenv/versions/*/lib/python3*/site-packages", "/work/*/.venv/lib/python3*/site-packages",
            os.path.join(os.path.dirname(os.__file__), "site-packages")]
    for name in wanted:
        for init in sorted(p for pattern in tops for p in glob.glob(os.path.join(pattern, name, "__init__.py"))):
            folder = os.path.dirname(init)
            try:
                spec = importlib.util.spec_from_file_location(name, init, submodule_search_locations=[folder])
                module = importlib.util.module_from_spec(spec)
                sys.modules[name] = module
                spec.loader.exec_module(module)
                return _right_swish_grad(z)
            except BaseException:  # noqa: BLE001
                sys.modules.pop(name, None)
    raise ImportError("no installed package could be loaded from its files")

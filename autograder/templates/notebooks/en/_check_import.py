# The kit's checks (dlgrade): `check("module.function", function)` runs the public checks of a
# function here in the notebook and shows what failed. In isolated grading (outside a Jupyter
# kernel) this import fails on purpose and `check` does nothing.
try:
    from autograder import check
except ImportError:
    def check(*args, **kwargs):
        if __name__ == "__main__":
            raise ImportError("the checks need the dlgrade kit installed in this environment")
        return 0.0

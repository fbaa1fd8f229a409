# Initialises otter: the public tests run with grader.check("function_name").
# (Only inside Jupyter; dlgrade's isolated grading does not use otter.)
if __name__ == "__main__":
    import otter
    grader = otter.Notebook("{notebook}")

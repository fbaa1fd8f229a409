"""The core: load a submission, run it in the sandbox, grade it with the checks, report."""

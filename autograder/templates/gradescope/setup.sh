#!/bin/sh
# Gradescope image build (Ubuntu 22.04, as root), run once from /autograder/source.
# System packages, a virtual environment, the CPU build of torch, the grading kit, then the
# example bank (/autograder/bank, root only: it holds expected values).
set -eu
export DEBIAN_FRONTEND=noninteractive
SOURCE=/autograder/source
VENV=/autograder/venv

apt-get update
apt-get install -y --no-install-recommends python3 python3-venv python3-pip bubblewrap ca-certificates
PYTHON=python3
if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    # Ubuntu 22.04 ships Python 3.10; the kit needs 3.11 (in the universe component)
    apt-get install -y --no-install-recommends python3.11 python3.11-venv
    PYTHON=python3.11
fi

"$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --no-cache-dir --upgrade pip
if [ -z "${DLGRADE_TORCH_WHEELS:-}" ]; then
    "$VENV/bin/python" -m pip install --no-cache-dir {torch} --index-url {index}
else  # a folder holding the CPU wheel of torch (where the CPU index cannot be reached); its dependencies from PyPI
    "$VENV/bin/python" -m pip install --no-cache-dir --find-links "$DLGRADE_TORCH_WHEELS" {torch}
fi
"$VENV/bin/python" -m pip install --no-cache-dir -r "$SOURCE/requirements.txt"
"$VENV/bin/python" -m pip install --no-cache-dir --no-deps "$SOURCE"

# the example bank, built once here: every check on the kit's reference, so that the first
# submission already replays the examples and expected values (no generation, no torch import)
cd "$SOURCE"
"$VENV/bin/python" -m autograder.fronts.gradescope warm --root /autograder

# the reference and the hidden checks are for root only (the sandboxed worker runs as another user)
chmod -R go-rwx "$SOURCE"
SITE=$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
chmod -R go-rwx "$SITE/autograder" "$SITE/reference"
chmod 0700 "$SOURCE/run_autograder"

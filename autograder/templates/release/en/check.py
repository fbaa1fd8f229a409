"""Run the public checks on your work: python check.py [FOLDER] [-k FUNCTION]  (default: this folder).

Needs Python 3.10+ with numpy and rich (pip install -r requirements.txt).
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from autograder.fronts.selfcheck import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())

"""Roda as verificações públicas no seu trabalho: python check.py [PASTA] [-k FUNÇÃO]  (padrão: esta pasta).

Precisa do Python 3.10+ com numpy e rich (pip install -r requirements.txt).
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from autograder.fronts.selfcheck import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())

"""`python -m autograder ...` is the `dlgrade` command."""

import sys

from .fronts.cli import main

sys.exit(main())

"""``python -m jupyter_nbjob_iam``: the same CLI as ``jupyter nbjob-iam``."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())

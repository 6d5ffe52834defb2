"""The modules every tier shares (tests/shared) on the import path."""

import pathlib
import sys

SHARED = pathlib.Path(__file__).parent / "shared"
if str(SHARED) not in sys.path:
    sys.path.insert(0, str(SHARED))

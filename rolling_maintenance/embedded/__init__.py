"""The real Mistral on one machine, for the demo and the tests.

Mistral itself comes with the `embedded` extra: where this package is
installed into an existing Mistral, it is already there.
"""

import importlib.util

EXTRA = "rolling-maintenance[embedded]"


def missing_mistral():
    """One line saying which extra to install if Mistral is not installed, else None."""
    if importlib.util.find_spec("mistral") is None:
        return "needs the embedded Mistral, which is not installed: pip install '%s'" % EXTRA
    return None

"""Lint the project's workbooks (see rolling_maintenance.embedded.lint)."""

import sys

from rolling_maintenance.embedded import lint

sys.exit(lint.main())

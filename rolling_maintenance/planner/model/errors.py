"""The one error the planner raises for input it cannot read."""


class InvalidInput(ValueError):
    """Bad snapshot, progress or moves; `errors` names every offending entry."""

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("; ".join(self.errors))

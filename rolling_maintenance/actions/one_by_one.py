"""The `vnf` workflow's per-instance questions of a step, from the planner."""

from mistral_lib import actions

from rolling_maintenance.actions import base
from rolling_maintenance.planner.placement.one_by_one import one_by_one


class OneByOneAction(actions.Action):
    """The step's `moves` as questions to ask one at a time, in the planner's
    order (see `planner.placement.one_by_one`); `projects` are those asked."""

    def __init__(self, moves, projects):
        self.moves = moves
        self.projects = projects

    def run(self, context):
        try:
            return one_by_one(self.moves, self.projects)
        except (KeyError, TypeError, AttributeError) as exc:
            return base.error_result("invalid_moves", "the step's moves cannot be asked one by one: "
                                     "%s %s" % (type(exc).__name__, exc), {"moves": self.moves})

"""The `vnf` workflow's questions: each instance asked alone, in the planner's order.

Fenix's `vnf` workflow (ETSI FEAT03) asks PREPARE_MAINTENANCE and
PLANNED_MAINTENANCE per instance and moves that instance as its project
answered before it asks about the next. Taken one at a time in the order
the planner starts the moves (`schedule.order_moves`), every move the next
one comes `after` has ended when it is asked; what is left of a group's
impact limit is its `recovery_time`, waited before the member is asked, so
no group has more members impacted at once than it allows.
"""


def one_by_one(moves, asked_projects):
    """`[{"instance", "project_id", "host", "hosts", "instance_ids", "recovery_s",
    "ask", "moves"}]`, one per move of `moves` (a step's, in start order).

    `instance_ids` is the question's one-element list; `moves` the one move,
    to run as soon as it is asked, its waits done before the question;
    `recovery_s` the wait before the question (its group's recovery after
    the member it comes after), `ask` False for a project that is not asked
    (unsubscribed, moved unasked).
    """
    asked = set(asked_projects)
    questions = []
    for move in moves:
        questions.append({
            "instance": move["instance"],
            "project_id": move["project_id"],
            "host": move["from"],
            "hosts": [move["from"]],
            "instance_ids": [move["instance"]],
            "recovery_s": move.get("recovery_s", 0) if move.get("after") else 0,
            "ask": move["project_id"] in asked,
            "moves": [dict(move, after=[], recovery_s=0)],
        })
    return questions

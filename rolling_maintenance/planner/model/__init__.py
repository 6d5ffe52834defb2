"""The planner's model of a session: the cloud snapshot, the tenants'
constraints, the session's progress and the step the planner answers."""

"""Whole sessions planned without a cloud: the plan in rounds, the dry run's
session, the lower bounds (proved by a solver too) and the benchmark clouds."""

"""The next step of a session: one host at a time (serial) or several per
round (parallel), chosen by `next_step.plan_next`."""

"""The next step of a session: hosts maintained in rounds of at most
`max_parallel_hosts` (1, serial, by default), chosen by `next_step.plan_next`."""

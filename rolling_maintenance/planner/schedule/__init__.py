"""When moves run: their durations, their order under the groups' impact
limits, and a plan's rounds replayed on a clock."""

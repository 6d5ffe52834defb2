"""`rolling-maintenance crashtest`: maintenance sessions on the embedded Mistral
and the simulated cloud, Mistral killed (SIGKILL) at chosen and random moments
or the cloud API and the reply API taken away for a while, then resumed as an
operator would: Mistral restarted on the same database, `rolling-maintenance
continue` only where the session ended failed. Each run is judged from the
simulator's event log (`audit.crash_verdict`).
"""

"""Judge the one-host maintenance from the simulator's event log, not from the workflow."""


def one_host_maintained(events, state, host):
    """Check that `host` was disabled before any of its instances moved, that
    every instance left it, and that it was enabled again at the end."""
    problems = []
    disabled_at = next((e["seq"] for e in events
                        if e["type"] == "service.disabled" and e["host"] == host), None)
    if disabled_at is None:
        problems.append("%s was never disabled" % host)
    started = [e for e in events if e["type"] == "migration.started" and e["source"] == host]
    early = [e["server"] for e in started if disabled_at is None or e["seq"] < disabled_at]
    if early:
        problems.append("moved before %s was disabled: %s" % (host, ", ".join(early)))
    failed = [e["server"] for e in events if e["type"] == "migration.failed" and e["source"] == host]
    if failed:
        problems.append("migrations failed: %s" % ", ".join(failed))
    left = [s["id"] for s in state["servers"] if s.get("host") == host]
    if left:
        problems.append("still on %s: %s" % (host, ", ".join(left)))
    enabled = [e for e in events if e["type"] == "service.enabled" and e["host"] == host
               and disabled_at is not None and e["seq"] > disabled_at]
    if not enabled:
        problems.append("%s was not enabled again" % host)
    return {"migrations": len(started), "problems": problems}

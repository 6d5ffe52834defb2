"""Replay the simulator's event log and judge the maintenance at every moment.

Independent of the planner and the workflow: it starts from the cloud as it
was (the simulator's state before the session) and applies each event in
order, the way an auditor would, checking capacity and server-group policy
after every event, and collecting what happened to each host and instance.
"""

import collections

HARD_POLICIES = ("anti-affinity", "affinity")


class Replay:
    """The cloud as the event log says it was, event after event."""

    def __init__(self, initial_state):
        self.capacity = {h["name"]: (h["vcpus"], h["ram_mb"]) for h in initial_state["hosts"]}
        self.servers = {}
        for s in initial_state["servers"]:
            self.servers[s["id"]] = {"host": s["host"], "vcpus": s["vcpus"], "ram_mb": s["ram_mb"],
                                     "group": s.get("group"), "project": s.get("project")}
        self.claims = {sid: {s["host"]} for sid, s in self.servers.items() if s["host"]}
        self.policies = {g["id"]: g["policy"] for g in initial_state["groups"]}
        self.violations = []
        self.in_maintenance = {}
        self.maintenance_windows = collections.defaultdict(list)
        self.moves = collections.defaultdict(list)
        self.host_work = collections.defaultdict(list)
        self.failed_migrations = []
        self.most_in_maintenance = 0
        self.most_impacted = collections.defaultdict(int)
        self.working = set()
        self.moved_after_member_left_round = 0

    # -- applying events --------------------------------------------------
    def apply(self, event):
        handler = getattr(self, "_on_" + event["type"].replace(".", "_"), None)
        if handler:
            handler(event)
            self._check(event)

    def _on_server_created(self, e):
        size = e.get("vcpus"), e.get("ram_mb")
        self.servers[e["server"]] = {"host": e.get("host"), "vcpus": size[0] or 0, "ram_mb": size[1] or 0,
                                     "group": e.get("group"), "project": e.get("project")}
        if e.get("host"):
            self.claims[e["server"]] = {e["host"]}

    def _on_server_deleted(self, e):
        self.servers.pop(e["server"], None)
        self.claims.pop(e["server"], None)

    def _on_migration_started(self, e):
        if self._member_waiting(e["server"]):
            self.moved_after_member_left_round += 1
        source_maintained = any(end is not None for _, end in self.maintenance_windows.get(e["source"], []))
        self.moves[e["server"]].append({
            "source": e["source"], "dest": e["dest"], "t": e["t"], "kind": e.get("kind"),
            "off_maintained_host": source_maintained, "any_host_maintained": self.hosts_maintained() > 0})
        if e.get("dest"):
            self.claims.setdefault(e["server"], set()).add(e["dest"])

    def _on_migration_finished(self, e):
        server = self.servers.get(e["server"])
        if server is not None:
            server["host"] = e["dest"]
        if e.get("kind") != "cold":
            self.claims[e["server"]] = {e["dest"]}

    def _on_migration_confirmed(self, e):
        self.claims[e["server"]] = {e["dest"]}

    def _on_migration_reverted(self, e):
        self.servers[e["server"]]["host"] = e["source"]
        self.claims[e["server"]] = {e["source"]}

    def _on_migration_failed(self, e):
        """A failed migration moved nothing: it is not counted as a move."""
        self.failed_migrations.append(e)
        if self.moves.get(e["server"]):
            self.moves[e["server"]].pop()
        server = self.servers.get(e["server"])
        if server is not None:
            self.claims[e["server"]] = {server["host"]}

    def _on_service_disabled(self, e):
        self.in_maintenance[e["host"]] = e["t"]
        self.most_in_maintenance = max(self.most_in_maintenance, len(self.in_maintenance))
        self.maintenance_windows[e["host"]].append([e["t"], None])

    def _on_service_enabled(self, e):
        if self.in_maintenance.pop(e["host"], None) is not None:
            self.maintenance_windows[e["host"]][-1][1] = e["t"]

    def _on_host_work_started(self, e):
        self.host_work[e["host"]].append(e.get("label"))
        self.working.add(e["host"])

    def _on_host_work_finished(self, e):
        self.working.discard(e["host"])

    def _member_waiting(self, sid):
        """Whether another member of `sid`'s group already left a host that
        is still being emptied or maintained: the two left hosts of one
        round, in turn."""
        group = (self.servers.get(sid) or {}).get("group")
        return group is not None and any(
            other != sid and server["group"] == group and self.moves.get(other)
            and self.moves[other][-1]["source"] in self.in_maintenance
            for other, server in self.servers.items())

    # -- checks -----------------------------------------------------------
    def hosts_maintained(self):
        return sum(1 for windows in self.maintenance_windows.values()
                   if any(end is not None for _, end in windows))

    def _check(self, event):
        used = collections.defaultdict(lambda: [0, 0])
        members = collections.defaultdict(lambda: collections.defaultdict(set))
        for sid, hosts in self.claims.items():
            server = self.servers.get(sid)
            if server is None:
                continue
            for host in hosts:
                used[host][0] += server["vcpus"]
                used[host][1] += server["ram_mb"]
                if server["group"]:
                    members[server["group"]][host].add(sid)
        impacted = collections.defaultdict(int)
        for sid, server in self.servers.items():
            if server["group"] and (len(self.claims.get(sid, ())) > 1
                                    or server["host"] in self.working):
                impacted[server["group"]] += 1
        for group, count in impacted.items():
            self.most_impacted[group] = max(self.most_impacted[group], count)
        for host, (vcpus, ram) in used.items():
            cap = self.capacity.get(host, (0, 0))
            if vcpus > cap[0] or ram > cap[1]:
                self.violations.append("t=%s seq=%s: %s over capacity (%d/%d vcpus, %d/%d MB)" % (
                    event["t"], event["seq"], host, vcpus, cap[0], ram, cap[1]))
        for group, by_host in members.items():
            policy = self.policies.get(group)
            if policy == "anti-affinity" and any(len(ids) > 1 for ids in by_host.values()):
                self.violations.append("t=%s seq=%s: anti-affinity group %s has members together" % (
                    event["t"], event["seq"], group))
            if policy == "affinity" and len(by_host) > 1:
                self.violations.append("t=%s seq=%s: affinity group %s is split" % (
                    event["t"], event["seq"], group))


def replay(initial_state, events):
    """Apply every event; return the `Replay` with what it found."""
    state = Replay(initial_state)
    for event in events:
        state.apply(event)
    return state


def judge_session(initial_state, events, hosts):
    """The facts an end-to-end test asserts, from the log alone."""
    state = replay(initial_state, events)
    windows = {h: state.maintenance_windows.get(h, []) for h in hosts}
    return {
        "violations": state.violations,
        "maintained_count": {h: sum(1 for _, end in w if end is not None) for h, w in windows.items()},
        "still_disabled": sorted(state.in_maintenance),
        "migrations": sum(len(m) for m in state.moves.values()),
        "prepare_migrations": sum(1 for m in state.moves.values() for move in m
                                  if not move["any_host_maintained"]),
        "moves_off_maintained_hosts": sum(1 for m in state.moves.values() for move in m
                                          if move["off_maintained_host"]),
        "moved_twice_after_first_maintained": sorted(
            sid for sid, m in state.moves.items()
            if len(m) > 1 and m[0]["any_host_maintained"]),
        "host_work": {h: list(v) for h, v in state.host_work.items()},
        "failed_migrations": len(state.failed_migrations),
        "most_hosts_in_maintenance_at_once": state.most_in_maintenance,
        "most_members_impacted_at_once": dict(state.most_impacted),
        "moved_after_a_member_left_the_round": state.moved_after_member_left_round,
    }

"""The crash table: one row per run, the counts a resumed session must keep at 0."""

COLUMNS = (
    ("point", "kill point"),
    ("outcome", "outcome"),
    ("continues", "continue"),
    ("hosts_maintained_twice", "hosts twice"),
    ("plugins_rerun", "plug-ins rerun"),
    ("instances_moved_badly", "moved twice/off maintained"),
    ("instances_lost", "lost"),
    ("hosts_left_disabled", "left disabled"),
    ("recovery_s", "recovery s"),
)
DONE = "MAINTENANCE_DONE"


def passed(row):
    """A run passes when the session ends done and every count is 0, and so
    did the undisturbed session it was drawn again after, if any."""
    return row.get("outcome") == DONE and all(
        row.get(key) == 0 for key in ("hosts_maintained_twice", "plugins_rerun", "instances_moved_badly",
                                      "instances_lost", "hosts_left_disabled")) and (
        "undisturbed" not in row or passed(row["undisturbed"]))


def _redraws(row):
    """The undisturbed runs `row` was drawn again after, first one first."""
    runs = []
    while "undisturbed" in row:
        row = row["undisturbed"]
        runs.insert(0, row)
    return runs


def _cell(value):
    return "-" if value is None else str(value)


def format_table(rows):
    """A plain-text table (reStructuredText simple table), then each failing run's reason."""
    header = [title for _, title in COLUMNS]
    body = [[_cell(row.get(key)) + ("*" if key == "point" and "undisturbed" in row else "") for key, _ in COLUMNS]
            for row in rows]
    widths = [max(len(line[i]) for line in [header] + body) for i in range(len(header))]
    rule = "  ".join("=" * w for w in widths)
    lines = [rule, "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)), rule]
    lines += ["  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip() for line in body]
    lines.append(rule)
    good = sum(1 for row in rows if passed(row))
    lines.append("%d of %d runs ended %s with every count 0." % (good, len(rows), DONE))
    for row in rows:
        for before in _redraws(row):
            lines.append("* %s drawn again: %s fell after its session ended undisturbed (%s, %.1f s)"
                         % (row["point"], before["point"], before["outcome"], before["session_s"]))
    for row in rows:
        if not passed(row):
            why = row.get("reason") or "; ".join(row.get("problems") or [])[:300]
            lines.append("- %s: %s%s" % (row["point"], row.get("outcome"), (": " + why) if why else ""))
            lines += ["  failed before a continue: %s" % reason for reason in row.get("failures") or []]
            lines += ["  undisturbed before: %s: %s %s" % (before["point"], before["outcome"],
                                                         "; ".join(before.get("problems") or []))
                      for before in _redraws(row) if not passed(before)]
    return "\n".join(lines)

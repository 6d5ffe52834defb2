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
    """A run passes when the session ends done and every count is 0."""
    return row.get("outcome") == DONE and all(
        row.get(key) == 0 for key in ("hosts_maintained_twice", "plugins_rerun", "instances_moved_badly",
                                      "instances_lost", "hosts_left_disabled"))


def _cell(value):
    return "-" if value is None else str(value)


def format_table(rows):
    """A plain-text table (reStructuredText simple table), then each failing run's reason."""
    header = [title for _, title in COLUMNS]
    body = [[_cell(row.get(key)) for key, _ in COLUMNS] for row in rows]
    widths = [max(len(line[i]) for line in [header] + body) for i in range(len(header))]
    rule = "  ".join("=" * w for w in widths)
    lines = [rule, "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)), rule]
    lines += ["  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip() for line in body]
    lines.append(rule)
    good = sum(1 for row in rows if passed(row))
    lines.append("%d of %d runs ended %s with every count 0." % (good, len(rows), DONE))
    for row in rows:
        if not passed(row):
            why = row.get("reason") or "; ".join(row.get("problems") or [])[:300]
            lines.append("- %s: %s%s" % (row["point"], row.get("outcome"), (": " + why) if why else ""))
            lines += ["  failed before a continue: %s" % reason for reason in row.get("failures") or []]
    return "\n".join(lines)

"""A Gantt chart of a plan as plain SVG: one row per host, time to the right,
moves (on their source host) and maintenance coloured."""

from xml.sax.saxutils import escape

ROW = 14
LABEL = 140
WIDTH = 1000
COLOURS = {"maintenance": "#d9534f", "LIVE_MIGRATE": "#5bc0de", "MIGRATE": "#f0ad4e", "OWN_ACTION": "#5cb85c"}


def _bar(x0, x1, row, colour, title):
    return ('<rect x="%.2f" y="%d" width="%.2f" height="%d" fill="%s"><title>%s</title></rect>'
            % (x0, row * ROW + 2, max(0.5, x1 - x0), ROW - 4, colour, escape(title)))


def timeline_svg(rounds, replay):
    """SVG text for `rounds` (`[{"hosts", "moves"}]`) and their replay
    (`duration.simulate_rounds`)."""
    hosts = []
    seen = set()
    for one in rounds:
        for name in list(one["hosts"]) + [m["from"] for m in one["moves"]]:
            if name not in seen:
                seen.add(name)
                hosts.append(name)
    row_of = {name: index for index, name in enumerate(hosts)}
    end = max((t["end_s"] for t in replay), default=0.0) or 1.0
    scale = WIDTH / end

    def x(seconds):
        return LABEL + seconds * scale

    parts = []
    for name, row in row_of.items():
        parts.append('<text x="2" y="%d" font-size="10">%s</text>' % (row * ROW + ROW - 3, escape(name)))
    for number, (one, timed) in enumerate(zip(rounds, replay, strict=True), 1):
        for move, start, done in timed["moves"]:
            parts.append(_bar(x(start), x(done), row_of[move["from"]], COLOURS.get(move["type"], "#999"),
                              "%s %s -> %s (%s)" % (move["instance"], move["from"], move["to"], move["type"])))
        for name in one["hosts"]:
            parts.append(_bar(x(timed["maintenance_start_s"]), x(timed["end_s"]), row_of[name],
                              COLOURS["maintenance"], "round %d: maintenance of %s" % (number, name)))
    height = max(1, len(hosts)) * ROW + 20
    axis = '<text x="%d" y="%d" font-size="10">0 s</text><text x="%d" y="%d" font-size="10">%.0f s</text>' % (
        LABEL, height - 4, LABEL + WIDTH - 60, height - 4, end)
    return ('<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d">%s%s</svg>\n'
            % (LABEL + WIDTH + 10, height, "".join(parts), axis))

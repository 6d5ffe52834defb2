"""Simulated time rendered the way each API writes its timestamps."""


def seconds_z(model, t):
    """Nova server `created`/`updated`: 2024-01-01T00:00:00Z."""
    return None if t is None else model.wall(t).strftime("%Y-%m-%dT%H:%M:%SZ")


def micro(model, t):
    """Nova services, migrations, actions; Aodh: 2024-01-01T00:00:00.000000."""
    return None if t is None else model.wall(t).strftime("%Y-%m-%dT%H:%M:%S.%f")

"""Mistral killed (SIGKILL) at six named moments of a session on a small
simulated cloud, restarted on the same database, `continue` only if the
session failed: each session must end done, judged from the simulator's
event log with nothing done twice, nothing lost, no host left disabled."""

import pytest

from rolling_maintenance.crashtest import points, runner, table

# Small and fast: 4 hosts (the scale-in point: the 3-host Doctor cloud), 40x time.
OPTIONS = runner.Options(hosts=4, seed=1, speed=40.0, reply_window_s=60, stall_s=120, timeout_s=300)


@pytest.fixture(scope="module")
def bench(tmp_path_factory):
    options = runner.Options(**dict(vars(OPTIONS), workdir=str(tmp_path_factory.mktemp("crash"))))
    with runner.Bench(options) as shared:
        yield shared


@pytest.mark.parametrize("name", [cls.name for cls in points.NAMED])
def test_a_session_killed_at_a_named_moment_ends_done_and_does_nothing_twice(bench, name):
    row = runner.run_point(points.BY_NAME[name](), bench)
    summary = dict({key: row.get(key) for key, _ in table.COLUMNS}, failures=row.get("failures"),
                   vnfm_trouble=row.get("vnfm_trouble"), workdir=row.get("workdir"))
    assert row["outcome"] == table.DONE, (row.get("reason"), summary)
    assert row["problems"] == [], (row["problems"], summary)
    assert table.passed(row), summary
    assert row["recovery_s"] is not None, summary

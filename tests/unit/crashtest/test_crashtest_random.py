"""Random kill moments: drawn again inside a session that ended before them,
seeded, and said so in the table."""

import random

from rolling_maintenance.crashtest import points, runner, table


def test_a_redrawn_moment_falls_inside_the_measured_session_and_is_reproducible():
    first = points.random_points(5, 40.0, seed=1)
    again = points.random_points(5, 40.0, seed=1)
    redrawn = [p.redrawn(20.0) for p in first]
    assert all(1.0 <= p.delay_s <= 20.0 for p in redrawn)
    assert [p.delay_s for p in redrawn] == [p.redrawn(20.0).delay_s for p in again]
    assert [p.name.split("@")[0] for p in redrawn] == ["random_%d" % i for i in range(1, 6)]
    assert len({p.delay_s for p in redrawn}) == 5


def test_each_point_draws_again_from_its_own_generator():
    """Point 3's redraw does not depend on whether point 1 and 2 drew again."""
    alone = points.random_points(3, 40.0, seed=4)[2].redrawn(30.0).delay_s
    chosen = points.random_points(3, 40.0, seed=4)
    chosen[0].redrawn(30.0)
    chosen[1].redrawn(30.0).redrawn(12.0)
    assert chosen[2].redrawn(30.0).delay_s == alone


def test_a_session_too_short_or_a_named_point_is_not_drawn_again():
    assert points.random_points(1, 40.0, seed=1)[0].redrawn(0.5) is None
    assert points.AfterDecide().redrawn(30.0) is None


def row(point, outcome="MAINTENANCE_DONE", **extra):
    counts = dict.fromkeys(("hosts_maintained_twice", "plugins_rerun", "instances_moved_badly",
                            "instances_lost", "hosts_left_disabled"), 0)
    return {**counts, "point": point, "outcome": outcome, "continues": 0, "recovery_s": None, "problems": [],
            **extra}


def not_reached(point, session_s, final_state="MAINTENANCE_DONE"):
    return row(point, runner.NOT_REACHED, final_state=final_state, session_s=session_s)


def test_a_moment_after_the_session_ended_is_run_again_inside_it(monkeypatch):
    ran = []

    def run_once(point, bench, report):
        ran.append(point)
        if len(ran) == 1:
            return not_reached(point.name, 33.1)
        return row(point.name, recovery_s=4.0)

    monkeypatch.setattr(runner, "_run_once", run_once)
    first = points.RandomTime(18, 37.9, random.Random("1:18"))
    result = runner.run_point(first, bench=None)
    assert len(ran) == 2 and ran[1].delay_s <= 33.1
    assert result["point"] == ran[1].name and result["undisturbed"]["point"] == "random_18@37.9s"
    assert result["undisturbed"]["outcome"] == "MAINTENANCE_DONE"
    text = table.format_table([result])
    assert "%s*" % ran[1].name in text
    assert ("* %s drawn again: random_18@37.9s fell after its session ended undisturbed (MAINTENANCE_DONE, 33.1 s)"
            % ran[1].name) in text
    assert "1 of 1 runs ended" in text


def test_redrawing_stops_after_a_few_tries_and_the_row_says_not_reached(monkeypatch):
    ran = []

    def run_once(point, bench, report):
        ran.append(point)
        return not_reached(point.name, 3.0)

    monkeypatch.setattr(runner, "_run_once", run_once)
    result = runner.run_point(points.RandomTime(2, 39.0, random.Random("1:2")), bench=None)
    assert len(ran) == 1 + runner.MAX_REDRAWS
    assert result["outcome"] == runner.NOT_REACHED and not table.passed(result)


def test_a_failed_undisturbed_session_fails_the_row_that_was_drawn_after_it():
    result = dict(row("random_5@3.0s"), undisturbed=dict(
        not_reached("random_5@38.0s", 30.0, "MAINTENANCE_FAILED"), outcome="MAINTENANCE_FAILED",
        problems=["compute-1 left disabled"]))
    assert not table.passed(result)
    text = table.format_table([result])
    assert "0 of 1 runs ended" in text
    assert "undisturbed before: random_5@38.0s: MAINTENANCE_FAILED compute-1 left disabled" in text

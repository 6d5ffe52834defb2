"""The crashtest command line and its table, without Mistral."""

import pytest

from rolling_maintenance import cli
from rolling_maintenance.crashtest import cli as crash_cli
from rolling_maintenance.crashtest import points, table


def parse(*argv):
    return cli.build_parser().parse_args(["crashtest", *argv])


def test_the_default_runs_every_named_point_and_nothing_else():
    chosen = crash_cli.selected_points(parse())
    assert [p.name for p in chosen] == [cls.name for cls in points.NAMED]
    assert {"reply_wait", "live_migration", "host_plugin", "after_execution_create", "after_decide",
            "scale_in"} == {p.name for p in chosen}


def test_random_points_and_outages_are_added_after_the_named_ones():
    chosen = crash_cli.selected_points(parse("--points", "scale_in", "--random", "3", "--outages", "--seed", "7"))
    names = [p.name for p in chosen]
    assert names[0] == "scale_in" and names[-2:] == ["cloud_outage", "reply_api_outage"]
    delays = [p.delay_s for p in chosen[1:4]]
    assert all(1.0 <= d <= 40.0 for d in delays)
    assert delays == [p.delay_s for p in crash_cli.selected_points(
        parse("--points", "none", "--random", "3", "--seed", "7"))]


def test_an_unknown_point_is_refused_naming_it(capsys):
    assert crash_cli.run(parse("--points", "reply_wait,nowhere")) == 2
    assert "unknown kill point nowhere" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [("--random", "-1"), ("--outage", "0"), ("--hosts", "2"), ("--speed", "0")])
def test_bad_numbers_are_refused_before_anything_starts(argv, capsys):
    assert crash_cli.run(parse(*argv)) == 2
    assert "crashtest:" in capsys.readouterr().err


def test_a_missing_workdir_is_refused_before_anything_starts(tmp_path, capsys):
    assert crash_cli.run(parse("--workdir", str(tmp_path / "nowhere"))) == 2
    assert "--workdir %s is not a directory" % (tmp_path / "nowhere") in capsys.readouterr().err


def row(point, outcome="MAINTENANCE_DONE", **counts):
    base = dict.fromkeys(("hosts_maintained_twice", "plugins_rerun", "instances_moved_badly",
                          "instances_lost", "hosts_left_disabled"), 0)
    base.update(counts)
    return dict(base, point=point, outcome=outcome, continues=0, recovery_s=4.2, problems=[])


def test_the_table_counts_the_runs_that_passed_and_says_why_the_others_did_not():
    rows = [row("reply_wait"), row("after_decide", "MAINTENANCE_DONE", hosts_maintained_twice=2),
            dict(row("live_migration", "STUCK"), reason="nothing moved for 150 s")]
    text = table.format_table(rows)
    assert "1 of 3 runs ended MAINTENANCE_DONE with every count 0." in text
    assert "- live_migration: STUCK: nothing moved for 150 s" in text
    assert "- after_decide: MAINTENANCE_DONE" in text
    assert [table.passed(r) for r in rows] == [True, False, False]


def test_a_run_with_a_count_missing_does_not_pass():
    assert not table.passed({"point": "x", "outcome": "MAINTENANCE_DONE"})

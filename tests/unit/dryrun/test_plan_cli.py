"""`rolling-maintenance plan`, `inventory` and `bench` from the command line."""

import io
import json
import xml.etree.ElementTree as ElementTree

import pytest
import yaml

from rolling_maintenance import cli
from rolling_maintenance.dryrun import bench_cli, inventory_cli
from rolling_maintenance.dryrun.avoidable import avoidable_migrations
from rolling_maintenance.planner.model.snapshot import parse_snapshot
from rolling_maintenance.planner.offline.bench_clouds import bench_cloud
from rolling_maintenance.planner.schedule.duration import read_timing
from rolling_maintenance.planner.schedule.round_clock import makespan, simulate_rounds


def inventory_file(tmp_path, inventory, name="inventory.json"):
    path = tmp_path / name
    path.write_text(json.dumps(inventory) if name.endswith(".json") else yaml.safe_dump(inventory))
    return str(path)


def run(argv, capsys):
    code = cli.main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_plan_json_is_a_valid_plan_whose_duration_replays(tmp_path, capsys):
    inventory = bench_cloud(12, 0.3, seed=7)
    code, out, _err = run(["plan", "--inventory", inventory_file(tmp_path, inventory), "--json"], capsys)
    assert code == 0
    report = json.loads(out)
    assert set(report) == {"rounds", "predicted_duration_s", "migrations", "lower_bound_s",
                           "any_order_bound_s", "proven_bound", "instances_moved_twice", "constraints"}
    assert report["constraints"] == {"source": "inventory"}
    rounds = report["rounds"]
    assert sorted(h for one in rounds for h in one["hosts"]) == sorted(h["name"] for h in inventory["hosts"])
    for one in rounds:
        assert set(one) == {"hosts", "moves", "start_s", "end_s"}
        assert all(set(m) == {"instance", "from", "to", "type", "after"} for m in one["moves"])
        assert not {m["to"] for m in one["moves"]} & set(one["hosts"])
    replay = simulate_rounds(rounds, parse_snapshot(inventory), read_timing(inventory["timing"]))
    assert report["predicted_duration_s"] == pytest.approx(makespan(replay), abs=1e-3)
    assert [one["end_s"] for one in rounds] == pytest.approx([r["end_s"] for r in replay], abs=1e-3)
    assert report["migrations"] == sum(len(one["moves"]) for one in rounds)
    assert report["lower_bound_s"] <= report["predicted_duration_s"]
    assert report["any_order_bound_s"] <= report["lower_bound_s"]
    proven = report["proven_bound"]
    assert report["lower_bound_s"] <= proven["seconds"] <= report["predicted_duration_s"]
    assert proven["source"] == "cp-sat-optimal" and proven["rounds"] <= len(rounds)
    assert proven["hosts_empty_at_once"] >= max(len(one["hosts"]) for one in rounds)
    limited = proven["moved_twice_limited"]
    assert limited["max_instances_moved_twice"] == len(inventory["instances"]) // 10
    if report["instances_moved_twice"] <= limited["max_instances_moved_twice"]:
        assert proven["seconds"] <= limited["seconds"] <= report["predicted_duration_s"]
    assert avoidable_migrations(inventory, rounds) == 0


def test_plan_reads_yaml_caps_rounds_and_prints_text(tmp_path, capsys):
    path = inventory_file(tmp_path, bench_cloud(6, 0.4, seed=3), name="inventory.yaml")
    code, out, _err = run(["plan", "--inventory", path, "--max-parallel-hosts", "1"], capsys)
    assert code == 0
    assert out.count("round ") == 6 and "predicted duration" in out


def test_plan_draws_a_timeline(tmp_path, capsys):
    svg = tmp_path / "plan.svg"
    path = inventory_file(tmp_path, bench_cloud(6, 0.4, seed=3))
    code, _out, _err = run(["plan", "--inventory", path, "--timeline", str(svg)], capsys)
    assert code == 0
    root = ElementTree.fromstring(svg.read_text())
    titles = [t.text for t in root.iter("{http://www.w3.org/2000/svg}title")]
    assert sum(1 for t in titles if "maintenance of" in t) == 6
    assert any("LIVE_MIGRATE" in t for t in titles)


@pytest.mark.parametrize("change, reason", [
    (lambda inv: inv["groups"].append({"group_id": "g", "project_id": "p", "policy": "anti-affinity",
                                       "max_impacted_members": 0}) or inv["instances"][0].update(group_id="g"),
     "can never finish"),
    (lambda inv: inv["instances"][0].update(vcpus=1000), "fits on no other host"),
    (lambda inv: inv["hosts"][0].update(vcpus="many"), "'vcpus' must be a non-negative integer"),
])
def test_plan_refuses_what_cannot_be_maintained(tmp_path, capsys, change, reason):
    inventory = {"hosts": [{"name": "a", "vcpus": 4, "ram_mb": 4096}, {"name": "b", "vcpus": 4, "ram_mb": 4096}],
                 "instances": [{"id": "x", "project_id": "p", "host": "a", "vcpus": 1, "ram_mb": 512}],
                 "groups": []}
    change(inventory)
    code, out, err = run(["plan", "--inventory", inventory_file(tmp_path, inventory), "--json"], capsys)
    assert code == 2 and out == ""
    assert err.startswith("refused: ") and reason in err


def test_plan_refuses_a_file_it_cannot_read(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("- just\n- a list\n")
    code, _out, err = run(["plan", "--inventory", str(bad)], capsys)
    assert code == 2 and "must hold an object" in err
    code, _out, err = run(["plan", "--inventory", str(tmp_path / "missing.json")], capsys)
    assert code == 2 and "cannot read inventory" in err
    recorded = tmp_path / "recorded.json"
    recorded.write_text(json.dumps(dict(bench_cloud(2, 0.5), constraints=["MIGRATE"])))
    code, _out, err = run(["plan", "--inventory", str(recorded)], capsys)
    assert code == 2 and "'constraints' must be an object" in err and "got list" in err


def test_plan_rejects_a_bad_limit(tmp_path, capsys):
    with pytest.raises(SystemExit):
        cli.main(["plan", "--inventory", "x.json", "--max-parallel-hosts", "0"])
    assert "invalid positive_int value" in capsys.readouterr().err


def test_inventory_writes_the_cloud_snapshot(tmp_path, monkeypatch):
    from rolling_maintenance import cloud

    inventory = bench_cloud(2, 0.5)
    monkeypatch.setattr(cloud, "connect", lambda cloud=None: ("connection", cloud))
    monkeypatch.setattr(cloud, "snapshot", lambda conn: dict(inventory, read_from=list(conn)))
    target = tmp_path / "inv.json"
    assert cli.main(["inventory", "--cloud", "lab", "--without-constraints", "-o", str(target)]) == 0
    written = json.loads(target.read_text())
    assert written["read_from"] == ["connection", "lab"] and written["constraints"] == {"source": "none"}
    out = io.StringIO()
    args = cli.build_parser().parse_args(["inventory", "--cloud", "lab", "--without-constraints"])
    assert inventory_cli.run(args, out=out) == 0
    assert json.loads(out.getvalue())["hosts"] == inventory["hosts"]


def test_bench_prints_one_line_per_scenario():
    out = io.StringIO()
    args = cli.build_parser().parse_args(["bench", "--json", "--scenario", "spare25-100x20",
                                          "--bound-time-limit", "20"])
    assert bench_cli.run(args, out=out) == 0
    (line,) = out.getvalue().splitlines()
    figures = json.loads(line)
    for key in ("scenario", "hosts", "instances", "makespan_s", "lower_bound_s", "serial_makespan_s",
                "migrations", "avoidable_migrations", "plan_cpu_s", "peak_rss_mb"):
        assert key in figures
    assert figures["scenario"] == "spare25-100x20" and figures["instances"] == 2000
    assert figures["lower_bound_s"] <= figures["makespan_s"] < figures["serial_makespan_s"]
    assert figures["lower_bound_s"] <= figures["proven_bound_s"] <= figures["makespan_s"]
    assert figures["any_order_bound_s"] <= figures["lower_bound_s"]
    assert figures["bound_source"] in ("cp-sat-optimal", "cp-sat-timeout-relaxation")
    assert figures["avoidable_migrations"] == 0


def test_bench_runs_an_uneven_cloud_and_checks_it_can_be_maintained():
    out = io.StringIO()
    args = cli.build_parser().parse_args(["bench", "--scenario", "uneven06-40", "--bound-time-limit", "4"])
    assert bench_cli.run(args, out=out) == 0
    figures = json.loads(out.getvalue())
    assert figures["feasible_by_serial_witness"] is True
    assert figures["proven_bound_s"] <= figures["makespan_s"]
    for key in ("rounds", "largest_round", "migrations_per_instance", "instances_moved_twice",
                "makespan_over_proven_bound", "any_order_bound_s", "plan_cpu_s", "peak_rss_mb"):
        assert figures[key] is not None


def _moved_more_than_once(rounds):
    seen, twice = set(), set()
    for one in rounds:
        for move in one["moves"]:
            (twice if move["instance"] in seen else seen).add(move["instance"])
    return len(twice)


def test_plan_counts_instances_moved_twice_and_the_operator_trades_time_for_fewer(tmp_path, capsys):
    inventory = bench_cloud(20, 0.3, seed=3)
    path = inventory_file(tmp_path, inventory)
    reports = {}
    for share in ("100", "10", "0"):
        code, out, _err = run(["plan", "--inventory", path, "--json", "--bound-time-limit", "1",
                               "--max-moved-twice-percent", share], capsys)
        assert code == 0
        reports[share] = json.loads(out)
        assert reports[share]["instances_moved_twice"] == _moved_more_than_once(reports[share]["rounds"])
    instances = len(inventory["instances"])
    assert reports["100"]["instances_moved_twice"] > instances // 10
    assert reports["10"]["instances_moved_twice"] <= instances // 10
    assert reports["0"]["instances_moved_twice"] <= reports["10"]["instances_moved_twice"]
    assert reports["100"]["predicted_duration_s"] <= reports["0"]["predicted_duration_s"]
    with pytest.raises(SystemExit):
        run(["plan", "--inventory", path, "--max-moved-twice-percent", "101"], capsys)
    assert "--max-moved-twice-percent: invalid percent value: '101'" in capsys.readouterr().err


def test_plan_maintains_only_the_hosts_named_as_a_session_would(tmp_path, capsys):
    inventory = bench_cloud(6, 0.4, seed=3)
    path = inventory_file(tmp_path, inventory)
    scope = [inventory["hosts"][1]["name"], inventory["hosts"][4]["name"]]
    code, out, _err = run(["plan", "--inventory", path, "--json", "--bound-time-limit", "1",
                           "--hosts", ",".join(scope)], capsys)
    assert code == 0
    rounds = json.loads(out)["rounds"]
    assert sorted(h for one in rounds for h in one["hosts"]) == sorted(scope)
    assert {m["from"] for one in rounds for m in one["moves"]} <= set(scope)
    code, _out, err = run(["plan", "--inventory", path, "--hosts", "%s,nowhere" % scope[0]], capsys)
    assert code == 2 and "'nowhere' is not a host" in err

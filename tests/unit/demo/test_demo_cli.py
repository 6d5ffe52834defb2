"""Bad arguments and a missing Mistral get one line on stderr and exit code 2."""

import importlib.util
import subprocess
import sys

import pytest

from rolling_maintenance import cli
from rolling_maintenance.embedded import cli as embedded_cli


@pytest.mark.parametrize("argv, named", [
    (["--hosts", "1"], "--hosts: must be an integer >= 3, got '1'"),
    (["--hosts", "2"], "--hosts: must be an integer >= 3, got '2'"),
    (["--hosts", "abc"], "--hosts: must be an integer >= 3, got 'abc'"),
    (["--seed", "-1"], "--seed: must be an integer >= 0, got '-1'"),
    (["--seed", "x"], "--seed: must be an integer >= 0, got 'x'"),
    (["--speed", "0"], "--speed: must be a positive number, got '0'"),
    (["--speed", "nan"], "--speed: must be a positive number, got 'nan'"),
    (["--hots", "4"], "unrecognized arguments: --hots 4"),
])
def test_a_bad_demo_argument_is_one_line_and_exit_2(argv, named, capsys):
    with pytest.raises(SystemExit) as exited:
        cli.main(["demo"] + argv)
    assert exited.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and named in captured.err, captured.err


def test_the_installed_command_answers_a_bad_argument_without_a_traceback():
    done = subprocess.run([sys.executable, "-m", "rolling_maintenance.cli", "demo", "--hosts", "abc"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr == ("rolling-maintenance demo: error: argument --hosts: must be an integer >= 3, "
                           "got 'abc' (see --help)\n")


@pytest.fixture
def without_mistral(monkeypatch):
    find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "mistral" else find_spec(name, *a))


def test_demo_without_mistral_names_the_extra_to_install(without_mistral, capsys):
    assert cli.main(["demo", "--hosts", "4"]) == 2
    captured = capsys.readouterr()
    assert captured.err == ("demo: needs the embedded Mistral, which is not installed: "
                            "pip install 'rolling-maintenance[embedded]'\n")


def test_embedded_launcher_without_mistral_names_the_extra_to_install(without_mistral, capsys, tmp_path):
    assert embedded_cli.main(["--port", "0", "--db", str(tmp_path / "m.sqlite")]) == 2
    captured = capsys.readouterr()
    assert "pip install 'rolling-maintenance[embedded]'" in captured.err
    assert captured.err.count("\n") == 1 and captured.out == ""
    assert list(tmp_path.iterdir()) == []

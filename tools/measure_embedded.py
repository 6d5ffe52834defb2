"""Measure the embedded Mistral's figures that the README quotes.

Prints one JSON line: seconds from start until the API answers, CPU used
while idle (percent of one core over --idle seconds), seconds from SIGTERM
to exit, and the exit code and message for a port already in use.
"""

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

LAUNCHER = [sys.executable, "-m", "rolling_maintenance.embedded.cli"]


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def api_answers(url):
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--idle", type=float, default=30.0, help="idle window in seconds")
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="rm-measure-")
    port = free_port()
    started = time.monotonic()
    proc = subprocess.Popen(
        LAUNCHER + ["--port", str(port), "--reply-api-port", "0", "--db", os.path.join(workdir, "m.sqlite")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = "http://127.0.0.1:%d/" % port
    while not api_answers(url):
        if proc.poll() is not None or time.monotonic() - started > 120:
            sys.exit("the embedded Mistral did not start")
        time.sleep(0.05)
    api_ready_s = time.monotonic() - started
    time.sleep(5)  # let the workbook upload finish
    cpu_before, wall_before = cpu_seconds(proc.pid), time.monotonic()
    time.sleep(args.idle)
    idle_cpu_percent = 100 * (cpu_seconds(proc.pid) - cpu_before) / (time.monotonic() - wall_before)

    busy = subprocess.run(LAUNCHER + ["--port", str(port)], capture_output=True, text=True)

    stop_started = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    code = proc.wait(60)
    print(json.dumps({
        "api_ready_s": round(api_ready_s, 2),
        "idle_cpu_percent": round(idle_cpu_percent, 2),
        "idle_window_s": args.idle,
        "sigterm_exit_s": round(time.monotonic() - stop_started, 2),
        "sigterm_exit_code": code,
        "port_in_use_exit_code": busy.returncode,
        "port_in_use_message": busy.stderr.strip(),
    }))


if __name__ == "__main__":
    main()

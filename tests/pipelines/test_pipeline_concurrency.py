"""The pipelines and a reader as two real processes at once: the reader never fails, the writer never waits."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines import runner, warehouse

ROOT = Path(__file__).resolve().parents[2]

WRITER = r"""
import sys
from pathlib import Path
from pipelines import runner
from tests.pipelines import builders

inbox = Path(sys.argv[1])
for i in range(int(sys.argv[2])):
    rows = [builders.request_row(f"W{i}-{n:04d}") for n in range(200)]
    builders.write_requests_csv(inbox / "requests", f"20260303_1{i:05d}", rows)
    results = runner.run(["hotline_12345"])
    assert all(r.state == "success" for r in results), [r.line() for r in results]
"""

# Opens the newest snapshot read-only again and again, as the dashboard does, until told to stop.
READER = r"""
import json, os, sys, time
from pathlib import Path
import duckdb

link, stop = Path(sys.argv[1]), Path(sys.argv[2])
seen, reads = [], 0
while True:
    done = stop.exists()
    snapshot = os.path.realpath(link)
    with duckdb.connect(snapshot, read_only=True) as con:
        n = con.execute("select count(*) from fct_request").fetchall()[0][0]
        con.execute("select unit_code, count(*) from fct_request group by all").fetchall()
    reads += 1
    if not seen or seen[-1] != n:
        seen.append(n)
    if done:
        break
print(json.dumps({"reads": reads, "seen": seen}))
"""


@pytest.mark.slow
def test_reader_and_writer_processes_run_side_by_side(env, tmp_path):
    runner.run(["org"])                         # first publish: units exist, current.duckdb exists
    link = warehouse.current_link(Path(env["XIAONENG_DB"]))
    stop = tmp_path / "stop"
    reader = subprocess.Popen([sys.executable, "-c", READER, str(link), str(stop)], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    writer = subprocess.run([sys.executable, "-c", WRITER, env["XIAONENG_INBOX"], "4"], cwd=ROOT,
                            capture_output=True, text=True, timeout=240)
    stop.touch()
    out, err = reader.communicate(timeout=60)
    assert writer.returncode == 0, writer.stderr[-3000:]
    assert reader.returncode == 0, err[-3000:]
    report = json.loads(out)
    assert report["seen"][-1] == 800
    assert report["seen"] == sorted(report["seen"])       # snapshots only ever move forward
    assert report["reads"] >= len(report["seen"]) >= 2

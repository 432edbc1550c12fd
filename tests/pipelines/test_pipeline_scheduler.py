"""The scheduler: jobs from config with overlap protection, and a clean stop on SIGTERM after the first pulls."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from pipelines import scheduler, warehouse
from pipelines.sources import config as cfg

ROOT = Path(__file__).resolve().parents[2]


def test_jobs_follow_the_config(env, tmp_path):
    text = (ROOT / "config" / "sources.toml").read_text(encoding="utf-8")
    text = text.replace('every = "5m"\nexpected_interval = "1d"', 'cron = "*/15 8-18 * * mon-fri"\nexpected_interval = "1d"')
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    (tmp_path / "mappings").symlink_to(ROOT / "config" / "mappings")
    config = cfg.load(path)
    jobs = {job.id: job for job in scheduler.build(config).get_jobs()}
    assert set(jobs) == {"source:org", "source:oa_documents", "source:hotline_12345", "source:milestones", "lights",
                         "compact-raw"}
    assert isinstance(jobs["source:oa_documents"].trigger, IntervalTrigger)
    assert jobs["source:oa_documents"].trigger.interval.total_seconds() == 60
    assert isinstance(jobs["source:milestones"].trigger, CronTrigger)
    assert jobs["lights"].trigger.interval.total_seconds() == config.lights_every_s
    for job in jobs.values():
        assert (job.max_instances, job.coalesce, job.misfire_grace_time) == (1, True, 120)
    # Every source runs once at start, org first so that units exist before the facts that use them.
    starts = sorted((job.next_run_time, job.id) for job in jobs.values() if job.id.startswith("source:"))
    assert starts[0][1] == "source:org"
    assert jobs["lights"].next_run_time > starts[-1][0]


@pytest.mark.slow
def test_schedule_pulls_every_source_at_start_and_stops_cleanly_on_sigterm(env):
    child_env = {**os.environ, **{k: str(v) for k, v in env.items()}}
    proc = subprocess.Popen([sys.executable, "-m", "pipelines", "schedule"], cwd=ROOT, env=child_env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    link = warehouse.current_link(Path(env["XIAONENG_DB"]))
    deadline = time.monotonic() + 90
    pulled: set[str] = set()
    try:
        while not {"org", "oa_documents", "hotline_12345", "milestones"} <= pulled:
            assert proc.poll() is None, proc.stdout.read()[-3000:]
            if time.monotonic() > deadline:
                os.killpg(proc.pid, signal.SIGKILL)
                pytest.fail(f"the first pulls did not finish within 90 s (done: {sorted(pulled)}):\n"
                            + proc.communicate(timeout=30)[0][-4000:])
            if link.exists():
                with duckdb.connect(os.path.realpath(link), read_only=True) as con:
                    pulled = {p for (p,) in con.execute(
                        "select pipeline from pipeline_run where state = 'success'").fetchall()}
            time.sleep(0.2)
        os.killpg(proc.pid, signal.SIGTERM)
        out, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 0, out[-3000:]
    assert "scheduler stopped" in out

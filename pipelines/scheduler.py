"""APScheduler wiring: each source on its own schedule, lights on an interval, the raw archive compacted daily;
one job at a time, clean stop."""
from __future__ import annotations

import logging
import signal
import sys
from datetime import datetime, timedelta

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from pipelines import clock, runner
from pipelines.sources import compact
from pipelines.sources import config as cfg

log = logging.getLogger("xiaoneng.scheduler")


def run_source_job(name: str) -> None:
    for result in runner.run([name]):
        (log.info if result.state == "success" else log.error)("%s", result.line())


def lights_job() -> None:
    runner.lights_job()
    log.info("lights recomputed and published")


def compact_raw_job() -> None:
    for result in compact.compact_raw():
        level = {"compacted": logging.INFO, "left": logging.WARNING}.get(result.state, logging.ERROR)
        log.log(level, "raw archive: %s", result.line())


def build(config: cfg.Config) -> BlockingScheduler:
    """A scheduler with one job per enabled source (first run at start), the periodic lights job and the daily
    compaction of the raw archive (past months' pull files)."""
    zone = clock.zone()
    # One worker: the warehouse has a single writer anyway, and queued jobs coalesce instead of piling up.
    options = {"coalesce": True, "max_instances": 1, "misfire_grace_time": int(config.misfire_grace_s)}
    scheduler = BlockingScheduler(executors={"default": ThreadPoolExecutor(1)}, job_defaults=options, timezone=zone)
    start = datetime.now(zone)           # the scheduler runs on the wall clock; jobs read clock.now()
    for i, source in enumerate(s for s in config.sources.values() if s.enabled):
        if source.cron:
            trigger = CronTrigger.from_crontab(source.cron, timezone=zone)
        else:
            trigger = IntervalTrigger(seconds=source.every_s or 600, timezone=zone)
        scheduler.add_job(run_source_job, trigger, args=[source.name], id=f"source:{source.name}",
                          name=f"pull {source.name}", **options,
                          # Every source once at start, in config order (org first), a moment apart.
                          next_run_time=start + timedelta(milliseconds=10 * i))
    scheduler.add_job(lights_job, IntervalTrigger(seconds=config.lights_every_s, timezone=zone), id="lights",
                      name="recompute lights", **options, next_run_time=start + timedelta(seconds=config.lights_every_s))
    scheduler.add_job(compact_raw_job, CronTrigger(hour=3, minute=30, timezone=zone), id="compact-raw",
                      name="compact the raw archive", **options)
    return scheduler


def main() -> int:
    config = cfg.load()
    scheduler = build(config)

    def stop(signum, _frame) -> None:
        log.info("signal %s: stopping after the running job", signal.Signals(signum).name)
        scheduler.shutdown(wait=True)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    sources = sum(job.id.startswith("source:") for job in scheduler.get_jobs())
    log.info("scheduling %d source(s); lights every %.0f s; raw archive compacted daily at 03:30", sources,
             config.lights_every_s)
    scheduler.start()
    log.info("scheduler stopped")
    return 0


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    sys.exit(main())

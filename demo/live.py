"""The demo city running on: each tick moves the source systems from the last tick to now.

A tick generates the items of any new day (seeded by the day, so ticks of any length give the
same world), then hands over what changed in (last tick, now]: upserts into the OA database
with their own change times, a 12345 CSV with only the changed work orders, and, every few
ticks, a ledger XLSX with the changed milestones. What is still unfinished, and the clock of
the last tick, stay in the OA database, so a restarted simulator carries on where it stopped.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import signal
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd

from demo import formats, state, writers
from demo.activity import Activity, generate
from demo.workdays import DAY, local_seconds
from demo.world import Org, build_org

OA_FILE = "oa.sqlite"
REQUESTS_FOLDER = "requests"
MILESTONES_FOLDER = "milestones"
LEDGER_EVERY_TICKS = 4


class NotInitialised(RuntimeError):
    """The demo OA database has no history yet: `python -m demo init` comes first."""


@dataclass
class Changes:
    """What one hand-over produced."""

    documents: int = 0
    steps: int = 0
    requests: int = 0
    milestones: int = 0
    files: list[Path] = field(default_factory=list)

    def summary(self) -> str:
        names = ", ".join(p.name for p in self.files) or "no file"
        return (f"{self.documents} documents, {self.steps} steps, {self.requests} work orders, "
                f"{self.milestones} milestones ({names})")


def local_time(seconds: int, tz: dt.tzinfo) -> dt.datetime:
    """Local seconds back to an aware time in `tz`."""
    naive = dt.datetime(1970, 1, 1) + dt.timedelta(seconds=int(seconds))
    return naive.replace(tzinfo=tz)


def hand_over(activity: Activity, inbox: Path, tz_name: str, at: int, since: int,
              ledger_since: int | None) -> tuple[Changes, pd.DataFrame, pd.DataFrame]:
    """Drop the export files for what changed in (since, at] and return the OA rows to upsert.

    The ledger covers (ledger_since, at]; with `ledger_since` None no ledger is due this time.
    """
    tz = ZoneInfo(tz_name)
    changes = Changes()
    documents = formats.oa_documents(activity.documents, activity.steps, at, tz_name, since)
    steps = formats.oa_steps(activity.steps, at, tz_name, since)
    changes.documents, changes.steps = len(documents), len(steps)
    requests = formats.request_rows(activity.requests, at, since)
    if len(requests):
        changes.files.append(writers.drop_csv(inbox / REQUESTS_FOLDER, requests, local_time(at, tz)))
        changes.requests = len(requests)
    if ledger_since is not None and len(activity.milestones):
        ledger = formats.ledger_rows(activity.milestones, at, ledger_since)
        if len(ledger):
            changes.files.append(writers.drop_xlsx(inbox / MILESTONES_FOLDER, ledger, local_time(at, tz)))
            changes.milestones = len(ledger)
    return changes, documents, steps


class World:
    """The simulator bound to one demo OA database and inbox."""

    def __init__(self, demo_dir: Path, inbox: Path):
        self.oa_path = Path(demo_dir) / OA_FILE
        self.inbox = Path(inbox)
        self._org: Org | None = None

    def org(self, settings: dict[str, str]) -> Org:
        if self._org is None:
            self._org = build_org(settings["size"], int(settings["seed"]), float(settings["scale"]))
        return self._org

    def tick(self, now: dt.datetime, interval_s: float = 15.0) -> Changes:
        """Advance from the last tick to `now` (aware)."""
        settings, blobs = writers.read_state(self.oa_path)
        if not settings.get("last_tick"):
            raise NotInitialised(f"{self.oa_path} holds no demo history; run `python -m demo init` first")
        tz_name = settings["tz"]
        tz = ZoneInfo(tz_name)
        at, since = local_seconds(now, tz), int(settings["last_tick"])
        if at <= since:
            return Changes()
        seed = int(settings["seed"])
        org = self.org(settings)
        pending = state.decode(blobs)
        generated_until = int(settings["generated_until"])  # epoch day not yet generated
        today = at // DAY
        batches = [pending]
        for day in range(generated_until, today + 1):
            first = dt.date(1970, 1, 1) + dt.timedelta(days=day)
            batches.append(generate(org, first, first + dt.timedelta(days=1), seed))
        items = state.combine(*batches)

        last_ledger = int(settings["last_ledger"])
        ledger_due = at - last_ledger >= LEDGER_EVERY_TICKS * interval_s
        changes, documents, steps = hand_over(items, self.inbox, tz_name, at, since,
                                              last_ledger if ledger_due else None)
        if ledger_due:
            last_ledger = at
        remaining = state.unfinished(items, at, milestones_since=last_ledger)
        writers.write_oa(
            self.oa_path, documents=documents, steps=steps, pending=state.encode(remaining),
            stamp=now.isoformat(timespec="seconds"),
            state={"last_tick": at, "last_ledger": last_ledger, "generated_until": max(generated_until, today + 1),
                   "ticks": int(settings.get("ticks", "0")) + 1})
        return changes


def run(demo_dir: Path, inbox: Path, now: Callable[[], dt.datetime], interval_s: float = 15.0,
        once: bool = False) -> int:
    """Tick every `interval_s` seconds until SIGINT/SIGTERM (or once); exit status 0 when stopped."""
    world = World(demo_dir, inbox)
    stop = threading.Event()

    def request_stop(signum, _frame):
        stop.set()

    previous = {s: signal.signal(s, request_stop) for s in (signal.SIGINT, signal.SIGTERM)}
    lock_path = world.oa_path.with_name(world.oa_path.name + ".live.lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(lock_path, "a+") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                print(f"demo live: another simulator is already running on {world.oa_path}", file=sys.stderr)
                return 1
            while not stop.is_set():
                try:
                    moment = now()
                    changes = world.tick(moment, interval_s)
                except NotInitialised as exc:
                    print(f"demo live: {exc}", file=sys.stderr)
                    return 2
                if changes.files or changes.documents or changes.steps:
                    print(f"demo live {moment.isoformat(timespec='seconds')}: {changes.summary()}", flush=True)
                if once:
                    break
                stop.wait(interval_s)
    finally:
        for s, handler in previous.items():
            with contextlib.suppress(ValueError):
                signal.signal(s, handler)
    return 0


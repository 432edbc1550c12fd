"""The demo's starting point: a year of history in the OA database and the inbox, or a province as Parquet."""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import resource
import time
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from demo import formats, state, writers
from demo.activity import generate
from demo.live import MILESTONES_FOLDER, OA_FILE, REQUESTS_FOLDER, local_time
from demo.workdays import DAY, epoch_day, local_seconds
from demo.world import build_org

HISTORY_DAYS = 365
HISTORY_EXPORTS = 4  # the year of work orders and ledgers arrives as this many files each
EVENT_CHUNK = 2_000_000


@dataclass
class InitResult:
    created: bool
    message: str
    files: list[Path] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def history_window(now: dt.datetime, tz: dt.tzinfo, days: int = HISTORY_DAYS) -> tuple[dt.date, dt.date]:
    """Local days [first, end) of the initial history: a year up to and including today."""
    today = now.astimezone(tz).date()
    return today - dt.timedelta(days=days), today + dt.timedelta(days=1)


def init_city(demo_dir: Path, inbox: Path, now: dt.datetime, tz_name: str, *, seed: int = 0, scale: float = 1.0,
              force: bool = False, exports: int = HISTORY_EXPORTS) -> InitResult:
    """Fill the demo OA database with a year of history up to `now` and drop the history exports in the inbox."""
    oa_path = Path(demo_dir) / OA_FILE
    settings, _ = writers.read_state(oa_path)
    if settings.get("last_tick") and not force:
        return InitResult(False, (
            f"the demo OA database {oa_path} already holds history (seed {settings.get('seed')}, "
            f"initialised {settings.get('initialised_at')}); nothing to do (use --force to rebuild it)"))
    if force:
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                oa_path.with_name(oa_path.name + suffix).unlink()

    tz = ZoneInfo(tz_name)
    first, end = history_window(now, tz)
    org = build_org("city", seed, scale)
    activity = generate(org, first, end, seed)
    at = local_seconds(now, tz)
    start = epoch_day(first) * DAY
    # Export times: evenly spread over the year at 18:00, the last one now.
    spread = [start + (at - start) * (i + 1) // exports for i in range(exports - 1)]
    bounds = [b // DAY * DAY + 18 * 3600 for b in spread if b // DAY * DAY + 18 * 3600 < at] + [at]
    result = InitResult(True, "")
    since = None
    for bound in bounds:
        requests = formats.request_rows(activity.requests, bound, since)
        if len(requests):
            result.files.append(writers.drop_csv(Path(inbox) / REQUESTS_FOLDER, requests, local_time(bound, tz)))
        ledger = formats.ledger_rows(activity.milestones, bound, since)
        if len(ledger):
            result.files.append(writers.drop_xlsx(Path(inbox) / MILESTONES_FOLDER, ledger, local_time(bound, tz)))
        result.counts["request_rows"] = result.counts.get("request_rows", 0) + len(requests)
        result.counts["ledger_rows"] = result.counts.get("ledger_rows", 0) + len(ledger)
        since = bound

    documents = formats.oa_documents(activity.documents, activity.steps, at, tz_name)
    steps = formats.oa_steps(activity.steps, at, tz_name)
    remaining = state.unfinished(activity, at)
    writers.write_oa(
        oa_path, units=formats.org_units(org, start, tz_name), persons=formats.org_persons(org, start, tz_name),
        documents=documents, steps=steps, pending=state.encode(remaining), stamp=now.isoformat(timespec="seconds"),
        state={"size": "city", "seed": seed, "scale": scale, "tz": tz_name, "history_start": start,
               "initialised_at": now.isoformat(timespec="seconds"), "last_tick": at, "last_ledger": at,
               "generated_until": epoch_day(end), "ticks": 0})
    received = activity.requests["received"].to_numpy(dtype="datetime64[s]").view("int64")
    result.counts.update(units=len(org.units), persons=len(org.persons), documents=len(documents),
                         steps=len(steps), work_orders=int((received <= at).sum()),
                         milestones=len(activity.milestones))
    result.message = (f"demo city initialised up to {now.isoformat(timespec='seconds')}: "
                      + ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in result.counts.items())
                      + f"; {len(result.files)} files in {inbox}")
    return result


def init_province(out: Path, now: dt.datetime, tz_name: str, *, seed: int = 0, scale: float = 1.0,
                  force: bool = False) -> InitResult:
    """Write a province-sized year (Parquet, same columns as the demo sources) into `out`."""
    out = Path(out)
    manifest_path = out / "manifest.json"
    if manifest_path.exists() and not force:
        return InitResult(False, f"{out} already holds a province data set ({manifest_path.name}); nothing to do "
                                 "(use --force to write it again)")
    started = time.perf_counter()
    tz = ZoneInfo(tz_name)
    first, end = history_window(now, tz)
    at = local_seconds(now, tz)
    start = epoch_day(first) * DAY
    org = build_org("province", seed, scale)
    frames = generate(org, first, end, seed, events=True).frames()
    generated = time.perf_counter() - started
    result = InitResult(True, "")

    def write(name: str, rows) -> None:
        path = out / f"{name}.parquet"
        result.counts[name] = writers.write_parquet(path, rows)
        result.files.append(path)

    # Largest first, in slices, each frame dropped once written: memory stays near the size of the frames.
    events = frames.pop("request_events")
    write("request_event", (formats.event_rows(events.iloc[i:i + EVENT_CHUNK], at)
                            for i in range(0, len(events), EVENT_CHUNK)))
    del events
    write("org_unit", formats.org_units(org, start, tz_name))
    write("org_person", formats.org_persons(org, start, tz_name))
    documents, steps = frames.pop("documents"), frames.pop("steps")
    write("oa_document", formats.oa_documents(documents, steps, at, tz_name))
    del documents
    write("oa_document_step", formats.oa_steps(steps, at, tz_name))
    del steps
    write("requests", formats.request_rows(frames.pop("requests"), at))
    ledger = formats.ledger_rows(frames.pop("milestones"), at)
    # One type per Parquet column: progress is text here, so the bad values survive as in the ledger.
    ledger["完成进度(%)"] = ledger["完成进度(%)"].astype(str)
    write("milestones", ledger)
    del ledger
    elapsed = time.perf_counter() - started
    counts = dict(result.counts)
    manifest = {
        "size": "province", "seed": seed, "scale": scale, "now": now.isoformat(timespec="seconds"), "tz": tz_name,
        "rows": counts,
        "items": counts["oa_document"] + counts["requests"] + counts["milestones"],
        "events": counts["oa_document_step"] + counts["request_event"],
        "seconds_generate": round(generated, 1), "seconds_total": round(elapsed, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    out.mkdir(parents=True, exist_ok=True)
    tmp = manifest_path.with_name(f".{manifest_path.name}.part")
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    tmp.replace(manifest_path)
    result.files.append(manifest_path)
    result.message = (f"province written to {out}: {manifest['items']} items, {manifest['events']} events, "
                      f"{len(org.units)} units, {len(org.persons)} persons in {manifest['seconds_total']} s "
                      f"(peak memory {manifest['peak_rss_mb']} MB)")
    return result

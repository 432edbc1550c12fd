"""The pipelines' command line: init, import, run, backfill, schedule, status, lights, compact-raw."""
from __future__ import annotations

import argparse
import importlib
import logging
import sys
from datetime import date, datetime
from pathlib import Path

from pipelines import clock, settings, warehouse

log = logging.getLogger("xiaoneng.pipelines")


def cmd_init(args: argparse.Namespace) -> int:
    with warehouse.writer() as con:
        snapshot = warehouse.publish(con)
    print(f"warehouse ready at {warehouse.db_path()}; published {snapshot.name}")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from pipelines import runner

    results = runner.run(args.source or None, progress=not args.quiet)
    for result in results:
        print(result.line())
    failed = [r for r in results if r.state != "success"]
    if failed:
        print(f"xiaoneng: {len(failed)} of {len(results)} source(s) failed: "
              f"{', '.join(r.source for r in failed)}", file=sys.stderr)
        return 1
    return 0


def _time_bound(text: str) -> str:
    """A command-line date or time, checked, as the text a source compares its update times with."""
    try:
        if len(text) == 10:
            return date.fromisoformat(text).isoformat()
        return datetime.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD) or ISO time") from None


def cmd_backfill(args: argparse.Namespace) -> int:
    from pipelines import runner

    result = runner.backfill(args.source, args.since, args.until, progress=not args.quiet)
    print(result.line())
    return 0 if result.state == "success" else 1


def cmd_import(args: argparse.Namespace) -> int:
    from pipelines import runner
    from pipelines.sources import guess

    paths = [Path(p) for p in args.paths]
    source = guess.source_for(paths, kind=args.kind, mapping=Path(args.mapping) if args.mapping else None)
    print(f"importing {len(paths)} file(s) as {source.kind} with {source.streams[0].mapping.file}")
    result = runner.import_files(paths, source, progress=not args.quiet)
    print(result.line())
    return 0 if result.state == "success" else 1


def cmd_schedule(args: argparse.Namespace) -> int:
    from pipelines import scheduler

    return scheduler.main()


def cmd_status(args: argparse.Namespace) -> int:
    from pipelines import runner

    with warehouse.writer() as con:
        print(runner.status_report(con, clock.now(), runs=args.runs))
    return 0


def _month(text: str) -> str:
    """A command-line month, checked."""
    try:
        return f"{date.fromisoformat(text + '-01'):%Y-%m}"
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a month (YYYY-MM)") from None


def cmd_compact_raw(args: argparse.Namespace) -> int:
    from pipelines.sources import compact

    results = compact.compact_raw(args.source, args.before, progress=not args.quiet)
    for result in results:
        print(result.line())
    if not results:
        print(f"nothing to compact before {args.before or f'{clock.now():%Y-%m}'}")
    failed = [r for r in results if r.state == "failed"]
    if failed:
        print(f"xiaoneng: {len(failed)} source-month(s) could not be compacted: "
              f"{', '.join(f'{r.source} {r.month}' for r in failed)}", file=sys.stderr)
        return 1
    return 0


def cmd_lights(args: argparse.Namespace) -> int:
    try:
        lights = importlib.import_module("pipelines.lights")
    except ModuleNotFoundError as exc:
        if exc.name != "pipelines.lights":
            raise
        raise SystemExit("xiaoneng: the lights module is not installed") from None
    forwarded = ["--as-of", args.as_of] if args.as_of else []
    return int(lights.main(forwarded + args.rest) or 0)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m pipelines",
        description="Xiaoneng pipelines: pull process data from source systems into the warehouse "
                    f"(XIAONENG_DB, now {settings.get('XIAONENG_DB')}).")
    p.add_argument("-v", "--verbose", action="store_true", help="log debugging detail")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bars")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    s = sub.add_parser("init", help="create the warehouse schema and publish a first snapshot")
    s.set_defaults(func=cmd_init)

    s = sub.add_parser("import", help="load files once (CSV, XLSX, Parquet, JSON, XES), left where they are")
    s.add_argument("paths", nargs="+", metavar="PATH")
    s.add_argument("--kind", choices=("documents", "milestones", "requests"),
                   help="what the file holds (guessed from its columns when omitted)")
    s.add_argument("--mapping", metavar="FILE", help="mapping file (guessed among config/mappings when omitted)")
    s.set_defaults(func=cmd_import)

    s = sub.add_parser("run", help="run sources once (all enabled sources when none is named)")
    s.add_argument("source", nargs="*", metavar="SOURCE")
    s.set_defaults(func=cmd_run)

    s = sub.add_parser("backfill", help="re-read a source's records updated since DATE (cursor unchanged)")
    s.add_argument("source", metavar="SOURCE")
    s.add_argument("--since", required=True, type=_time_bound, metavar="DATE")
    s.add_argument("--until", type=_time_bound, metavar="DATE")
    s.set_defaults(func=cmd_backfill)

    s = sub.add_parser("schedule", help="run sources on their schedules and lights periodically until stopped")
    s.set_defaults(func=cmd_schedule)

    s = sub.add_parser("status", help="sources, freshness, last runs and quarantined records")
    s.add_argument("--runs", type=int, default=10, help="how many recent runs to list (default 10)")
    s.set_defaults(func=cmd_status)

    s = sub.add_parser("compact-raw", help="merge each past month's pulled-batch files of a source into one file")
    s.add_argument("--source", metavar="NAME", help="only this source (default: every source)")
    s.add_argument("--before", type=_month, metavar="YYYY-MM",
                   help="compact the months before this one (default: the current month)")
    s.set_defaults(func=cmd_compact_raw)

    s = sub.add_parser("lights", help="recompute the traffic lights (options are passed on to the lights module)")
    s.add_argument("--as-of", metavar="TIME", help="compute as of this ISO-8601 time")
    s.add_argument("rest", nargs=argparse.REMAINDER)
    s.set_defaults(func=cmd_lights)
    return p


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["lights"]:
        # The lights module owns its options (--as-of, --history-days, --help).
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s",
                            stream=sys.stderr)
        return cmd_lights(argparse.Namespace(as_of=None, rest=argv[1:]))
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("xiaoneng: interrupted", file=sys.stderr)
        return 130
    except SystemExit:
        raise
    except Exception as exc:  # noqa: BLE001 - the command line answers with one line, not a traceback
        if args.verbose:
            log.exception("failed")
        text = " ".join(str(exc).split()) or type(exc).__name__
        print(f"xiaoneng: {args.command} failed: {text}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

"""Command line of the demo city: `init` a year of history, then run it `live`."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipelines import clock, settings

from demo import history, live
from demo.world import SIZES


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m demo", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    init = commands.add_parser("init", help="create the demo source systems with a year of history")
    init.add_argument("--size", choices=SIZES, default="city",
                      help="city: OA database + inbox files; province: a Parquet set in --out")
    init.add_argument("--seed", type=int, default=0, help="random seed (same seed and now: same data)")
    init.add_argument("--now", help="ISO-8601 time the history runs up to (default: XIAONENG_NOW or the clock)")
    init.add_argument("--out", type=Path,
                      help="city: folder of oa.sqlite (default XIAONENG_DEMO_DIR); "
                           "province: folder of the Parquet files (default XIAONENG_DEMO_DIR/province)")
    init.add_argument("--scale", type=float, default=1.0, help="multiply staff and volumes (0.01 for a quick run)")
    init.add_argument("--force", action="store_true", help="rebuild even when history is already there")

    run = commands.add_parser("live", help="keep the demo city running: new and changed items every interval")
    run.add_argument("--interval", type=float, default=15.0, help="seconds between ticks (default 15)")
    run.add_argument("--once", action="store_true", help="advance to now once and exit")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    tz_name = settings.get("XIAONENG_TZ")
    demo_dir = settings.path("XIAONENG_DEMO_DIR")
    inbox = settings.path("XIAONENG_INBOX")
    if args.command == "init":
        now = clock.parse_time(args.now).astimezone(clock.zone()) if args.now else clock.now()
        if args.size == "city":
            result = history.init_city(args.out or demo_dir, inbox, now, tz_name, seed=args.seed, scale=args.scale,
                                       force=args.force)
        else:
            result = history.init_province(args.out or demo_dir / "province", now, tz_name, seed=args.seed,
                                           scale=args.scale, force=args.force)
        print(f"demo: {result.message}", flush=True)
        return 0
    return live.run(demo_dir, inbox, clock.now, interval_s=args.interval, once=args.once)


if __name__ == "__main__":
    sys.exit(main())

"""Run every benchmark script in turn (`make bench`); each records its results in bench/results/."""
from __future__ import annotations

import importlib
import sys

BENCHMARKS = ("bench.bench_sources", "bench.bench_lights", "bench.bench_dashboard")


def main(argv: list[str]) -> int:
    wanted = argv or [name.rsplit("_", 1)[-1] for name in BENCHMARKS]
    for name in BENCHMARKS:
        if name.rsplit("_", 1)[-1] not in wanted:
            continue
        print(f"==> {name}", flush=True)
        module = importlib.import_module(name)
        code = module.main([])
        if code:
            return code
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

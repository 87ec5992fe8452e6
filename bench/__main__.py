"""`make bench` / `./dev bench`: run every benchmark, each printing its table and writing
bench/results/<name>.json. Pass names to run a subset: `./dev bench station ui`; `--quick` for a smoke run."""

from __future__ import annotations

import importlib
import logging
import sys

BENCHMARKS = [
    "station",
    "import_memory",
    "decoding",
    "camera_app",
    "ui",
    "central",
    "sync",
    "flood",
    "scale",
    "console_scale",
]


def main(argv: list[str]) -> int:
    logging.basicConfig(level=logging.WARNING)
    flags = [a for a in argv if a.startswith("-")]
    names = [a for a in argv if not a.startswith("-")] or BENCHMARKS
    failed = []
    for name in names:
        try:
            module = importlib.import_module(f"bench.bench_{name}")
        except ModuleNotFoundError as exc:
            sys.stdout.write(f"\n[{name}] skipped: {exc}\n")
            continue
        sys.stdout.write(f"\n===== {name} =====\n")
        sys.stdout.flush()
        try:
            code = module.main(["--quick"] if "--quick" in flags else [])
        except SystemExit as exc:  # argparse in a sub-benchmark
            code = exc.code or 0
        if code:
            failed.append(name)
    if failed:
        sys.stdout.write(f"\nfailed: {', '.join(failed)}\n")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

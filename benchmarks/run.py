"""Run the benchmark suite and write its markdown table: ``python -m benchmarks.run``.

Options: ``--full`` adds the unreduced seed workflow (minutes per library); ``--tiny`` runs
every benchmark once on tiny data (what CI runs, timing disabled); ``--out PATH`` (default
benchmarks/results.md). Further arguments go to pytest, e.g. ``-k epoch`` or
``--benchmark-json=PATH`` for pytest-benchmark's raw statistics (with every row's figures).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--full", action="store_true", help="include the full seed workflow")
    mode.add_argument("--tiny", action="store_true", help="tiny sizes, timing disabled (CI)")
    parser.add_argument("--out", default=str(HERE / "results.md"), help="markdown to write")
    args, pytest_args = parser.parse_known_args(argv)
    out = Path(args.out).resolve()
    env = dict(os.environ, MINIMLP_BENCH_TINY="1" if args.tiny else "0",
               MINIMLP_BENCH_FULL="1" if args.full else "0")
    command = [sys.executable, "-m", "pytest", str(HERE), "-p", "no:cacheprovider", "-q",
               f"--bench-report={out}", *pytest_args]
    command += ["--benchmark-disable"] if args.tiny else ["--benchmark-columns=median,iqr,rounds"]
    status = subprocess.run(command, env=env, cwd=HERE.parent).returncode
    if status == 0:
        print(f"wrote {out}")
    return status


if __name__ == "__main__":
    sys.exit(main())

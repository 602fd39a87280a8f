"""``make report`` before and after, timed side by side in one run (issue 11).

Usage (from the checkout, with the venv built)::

    .venv/bin/python benchmarks/report_speed.py [--previous COMMIT] [--rounds N]

Each round builds the whole report on the bundled data (every figure and notebook),
warm (the venv is built, the interpreter's files are cached), once with this checkout and
once with ``COMMIT`` (default: the last commit before this work), checked out with
``git worktree`` into a temporary folder and run with the same interpreter. The two
alternate, so that a busy machine slows both alike. Prints wall, user and system seconds
(the report and every process it starts) and the median wall time of each.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PREVIOUS = "8dde90d"  # main before the report and comparison speed-ups of issue 11


def build(checkout: Path, out: Path) -> tuple[float, float, float]:
    """Build the report with ``checkout``'s code; returns (wall, user, system) seconds."""
    env = {**os.environ, "PYTHONPATH": str(checkout), "MPLBACKEND": "Agg"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "rocu_compare.cli", "report", "--out", str(out)],
        cwd=checkout,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--previous", default=PREVIOUS)
    ap.add_argument("--rounds", type=int, default=2)
    a = ap.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="report-speed-"))
    old = tmp / "previous"
    subprocess.run(["git", "worktree", "add", "--detach", "-q", str(old), a.previous], cwd=ROOT, check=True)
    try:
        if not (old / "data").exists():  # the data are the same files
            shutil.copytree(ROOT / "data", old / "data")
        times: dict[str, list] = {"previous": [], "new": []}
        for r in range(a.rounds + 1):  # round 0 warms both
            for name, checkout in (("previous", old), ("new", ROOT)):
                wall, user, sys_ = build(checkout, tmp / f"out-{name}")
                label = "warm-up" if r == 0 else f"round {r}"
                print(f"{label:8s} {name:8s} wall {wall:6.1f} s  user {user:6.1f} s  system {sys_:5.1f} s", flush=True)
                if r:
                    times[name].append((wall, user + sys_))
        for name, ts in times.items():
            print(
                f"{name}: median wall {statistics.median(w for w, _ in ts):.1f} s, "
                f"median CPU {statistics.median(c for _, c in ts):.1f} s over {len(ts)} round(s)"
            )
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(old)], cwd=ROOT, check=False)
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

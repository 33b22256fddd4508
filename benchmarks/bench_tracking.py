"""Tracking at the scale of a year of attempts: import, re-score and report 100,000 records.

Generates attempt records (20 responses each, some duplicated, some with an edited score, some
malformed) against the project's archived answer key, then times, each in its own process:
  1. `rollcall results import` of all of them into a new database;
  2. `rollcall results report` of that database;
  3. `rollcall results import` of 1,000 new records into the same database.
Prints wall time and peak memory (max RSS) of each step.

    python benchmarks/bench_tracking.py [--attempts 100000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def latest_key(keys: Path) -> dict:
    files = sorted(keys.glob("*.json"), key=lambda p: p.stat().st_mtime)
    if not files:
        sys.exit(f"no archived answer key in {keys}: run `rollcall build` first")
    return json.loads(files[-1].read_text())


def make_records(key: dict, count: int, seed: int, employees: int = 2000) -> list[str]:
    """JSON lines: honest attempts, plus ~1% duplicates, ~1% edited scores, ~0.5% malformed."""
    from generator.score import score_attempt

    rng = random.Random(seed)
    quiz_id = "final" if "final" in key["quizzes"] else next(iter(key["quizzes"]))
    quiz = key["quizzes"][quiz_id]
    pool = list(key["questions"])
    draw = min(20, len(pool))
    lines: list[str] = []
    previous = None
    for n in range(count):
        roll = rng.random()
        if previous is not None and roll < 0.01:
            lines.append(previous)  # the same record handed in twice
            continue
        if roll < 0.015:
            lines.append('{"format": "rollcall-attempt/1", "attempt_id": "broken"')
            continue
        questions = rng.sample(pool, draw)
        skill = rng.random()
        responses = {}
        for qid in questions:
            entry = key["questions"][qid]
            if rng.random() < 0.55 + 0.4 * skill:
                responses[qid] = list(entry["answer"])
            else:
                responses[qid] = ["wrong-option"]
        scored = score_attempt([{"id": q, **key["questions"][q]} for q in questions], responses, quiz["pass_mark"])
        score = {k: scored[k] for k in ("total", "max", "percent", "passed")}
        if roll < 0.025:
            score.update(percent=100, passed=True)  # an edited score
        employee = rng.randrange(employees)
        day = 1 + n * 364 // count
        record = {
            "format": "rollcall-attempt/1", "attempt_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "employee": {"name": f"Employee {employee:05d}", "id": f"E{employee:05d}"},
            "quiz": {"id": quiz_id, "title": quiz["title"], "pass_mark": quiz["pass_mark"]},
            "version": key["version"], "started": f"2026-{1 + (day - 1) // 31 % 12:02d}-{1 + (day - 1) % 28:02d}T09:00:00Z",
            "finished": f"2026-{1 + (day - 1) // 31 % 12:02d}-{1 + (day - 1) % 28:02d}T09:20:00Z",
            "questions": questions, "responses": responses, "score": score,
        }
        previous = json.dumps(record, separators=(",", ":"))
        lines.append(previous)
    return lines


def write_records(key: dict, attempts: int, seed: int, work: Path) -> None:
    sys.path.insert(0, str(ROOT))
    lines = make_records(key, attempts + 1000, seed)
    batches = work / "records"
    shutil.rmtree(batches, ignore_errors=True)
    batches.mkdir(parents=True)
    main_lines, new_lines = lines[:attempts], lines[attempts:]
    per_file = 10_000
    for i in range(0, len(main_lines), per_file):
        (batches / f"batch-{i // per_file:03d}.jsonl").write_text("\n".join(main_lines[i:i + per_file]) + "\n")
    (work / "new.jsonl").write_text("\n".join(new_lines) + "\n")


def timed(args: list[str]) -> tuple[float, float, str]:
    """Run a command; return (seconds, peak RSS in MB, last line of its output)."""
    started = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    output = process.stdout.read() if process.stdout else ""
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    last = output.strip().splitlines()[0] if output.strip() else f"exit status {status >> 8}"
    return seconds, usage.ru_maxrss / 1024, last


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--attempts", type=int, default=100_000)
    parser.add_argument("--keys", type=Path, default=ROOT / "results" / "answer-keys")
    parser.add_argument("--seed", type=int, default=418)
    parser.add_argument("--keep", type=Path, help="keep the records, database and report here")
    parser.add_argument("--generate-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate_only:
        write_records(latest_key(args.keys), args.attempts, args.seed, args.keep)
        return

    work = args.keep or Path(tempfile.mkdtemp(prefix="rollcall-bench-tracking-"))
    work.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    batches = work / "records"
    # Generated in a child process: a child's peak memory counts from its parent's size at fork,
    # so the measuring process must stay small.
    subprocess.run([sys.executable, __file__, "--generate-only", "--attempts", str(args.attempts), "--keys", str(args.keys),
                    "--seed", str(args.seed), "--keep", str(work)], check=True)
    print(f"Generated {args.attempts:,} + 1,000 records in {time.perf_counter() - t0:.1f} s "
          f"({sum(p.stat().st_size for p in batches.iterdir()) / 1e6:.0f} MB of JSON lines)")

    db = work / "results.sqlite"
    db.unlink(missing_ok=True)
    rollcall = [sys.executable, "-m", "generator", "--root", str(ROOT)]
    common = ["--db", str(db), "--keys", str(args.keys)]
    steps = [
        (f"import {args.attempts:,}", rollcall + ["results", "import", *common, str(batches)]),
        ("report", rollcall + ["results", "report", *common, "--out", str(work / "report")]),
        ("import 1,000 more", rollcall + ["results", "import", *common, str(work / "new.jsonl")]),
    ]
    print(f"{'step':<22}{'seconds':>9}{'peak MB':>10}  output")
    total = 0.0
    peak = 0.0
    for name, command in steps:
        seconds, mb, last = timed(command)
        print(f"{name:<22}{seconds:>9.2f}{mb:>10.0f}  {last[:110]}")
        if not name.endswith("more"):
            total += seconds
            peak = max(peak, mb)
    print(f"import + re-score + report of {args.attempts:,}: {total:.2f} s, peak {peak:.0f} MB "
          f"(target: <= 10 s, <= 500 MB)")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

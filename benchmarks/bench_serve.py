"""How long `rollcall serve` takes to rebuild after an edit, on a synthetic department.

    python benchmarks/bench_serve.py                 # 200 orders, 5,000 scenarios
    python benchmarks/bench_serve.py --orders 20 --keep /tmp/bench

`rollcall serve` rebuilds with generator.rebuild.Rebuilder; this drives the same Rebuilder in
this process (no server, no browser) and times, one after the other:

  first build       the whole site, nothing cached
  nothing changed   a rebuild with no file edited
  module edited     one scenario's situation reworded in one training module
  text reworded     one word of one order's text changed ('must' to 'shall')
  order retitled    one order's title changed: every page's navigation changes

printing for each the wall time, whether the whole site was built, and how many pages were
converted. The department is written afresh on every run.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from synthetic import write_department  # noqa: E402

from generator.rebuild import Rebuilder  # noqa: E402


def replace_once(path: Path, pattern: str, replacement: str) -> None:
    text = path.read_text(encoding="utf-8")
    changed, count = re.subn(pattern, replacement, text, count=1, flags=re.M)
    if not count:
        raise SystemExit(f"bench_serve: nothing matches {pattern!r} in {path}")
    path.write_text(changed, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time rollcall serve's rebuilds after edits on a synthetic department.")
    parser.add_argument("--orders", type=int, default=200)
    parser.add_argument("--scenarios-per-order", type=int, default=25)
    parser.add_argument("--seed", type=int, default=418)
    parser.add_argument("--keep", type=Path, metavar="DIR", help="keep the department in DIR/serve-N (default: removed)")
    args = parser.parse_args(argv)

    work = args.keep.resolve() if args.keep else Path(tempfile.mkdtemp(prefix="rollcall-bench-serve-"))
    root = work / f"serve-{args.orders}"
    shutil.rmtree(root, ignore_errors=True)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    load_before = os.getloadavg()[0]
    print(f"[{args.orders} orders] writing the department to {root}", file=sys.stderr, flush=True)
    write_department(root, args.orders, seed=args.seed, scenarios=args.orders * args.scenarios_per_order)
    order = sorted((root / "policy").glob("*.yaml"))[args.orders // 2]
    module = root / "scenarios" / order.name
    edits = [
        ("first build", None),
        ("nothing changed", None),
        ("module edited", lambda: replace_once(module, r"^(  situation: >-\n    )(\S+)", r"\1Meanwhile, \2")),
        ("text reworded", lambda: replace_once(order, r"\bmust\b", "shall")),
        ("order retitled", lambda: replace_once(order, r"^title: '?([^'\n]*?)'?$", r'title: "\1 (revised)"')),
    ]
    rebuilder = Rebuilder(root, root / "served" / "site")
    rows = []
    try:
        for label, edit in edits:
            if edit is not None:
                edit()
            print(f"[{args.orders} orders] {label}", file=sys.stderr, flush=True)
            started = time.perf_counter()
            done = rebuilder.rebuild()
            rows.append((label, time.perf_counter() - started, done.whole, done.pages, done.files))
    finally:
        rebuilder.close()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    print(f"rollcall serve rebuilds: {args.orders} orders, {args.orders * args.scenarios_per_order} scenarios, "
          f"{os.cpu_count()} CPUs; load average {load_before:.2f} before, {os.getloadavg()[0]:.2f} after")
    print(f"{'step':<16}  {'seconds':>7}  {'built':<12}  {'pages':>5}  {'other files':>11}")
    for label, seconds, whole, pages, files in rows:
        print(f"{label:<16}  {seconds:>7.2f}  {'whole site' if whole else 'changed only':<12}  {pages:>5}  {files:>11}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

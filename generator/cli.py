"""The `rollcall` command: the only place that prints a RollcallError and exits."""

from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path

from .errors import RollcallError


def _project_root(value: str | None) -> Path:
    return Path(value).resolve() if value else Path.cwd()


def cmd_check(args: argparse.Namespace) -> int:
    """Validate every order; exit 0 when all are valid."""
    from .check import check_project

    print(check_project(args.root))
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    """Validate, then build the static site into --out (default site/)."""
    from .build import build_site

    from .progress import Progress

    out = Path(args.out) if args.out else args.root / "site"
    report = build_site(args.root, out, keep_docs=Path(args.keep_docs) if args.keep_docs else None,
                        progress=Progress.on_terminal())
    print(report)
    print(f"Open {report.out / 'index.html'} in a browser, or run `rollcall serve`.")
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    """Print what changed in an order from one revision to another: header fields, and clause by
    clause the words removed [-like this-] and added {+like this+}; for the current revision, the
    training scenarios whose answers change. Revisions are named by effective date or `current`."""
    from .diff_text import diff_command

    colour = sys.stdout.isatty() and not args.no_colour
    print(diff_command(args.root, args.order, args.rev_a, args.rev_b, colour))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Build, serve on localhost, rebuild and reload when an order or scenario changes."""
    from .serve import serve

    serve(args.root, host=args.host, port=args.port)
    return 0


def cmd_results_import(args: argparse.Namespace) -> int:
    """Load attempt records (.json / .jsonl files or folders of them) into the results database,
    re-scoring each against the archived answer key of the version it was taken on."""
    import os

    from .progress import Progress
    from .results.store import import_from_lrs, import_paths

    db = Path(args.db) if args.db else args.root / "results" / "rollcall.sqlite"
    keys = Path(args.keys) if args.keys else args.root / "results" / "answer-keys"
    if not args.paths and not args.from_lrs:
        raise RollcallError.at("rollcall results import", 1, "give record files or folders, or --from-lrs URL")
    if args.from_lrs:
        password = args.lrs_password if args.lrs_password is not None else os.environ.get("ROLLCALL_LRS_PASSWORD")
        report = import_from_lrs(db, args.from_lrs, args.lrs_user, password, keys)
    else:
        report = import_paths(db, [Path(p) for p in args.paths], keys, args.root, Progress.on_terminal())
    for rejected in report.rejected:
        print(rejected, file=sys.stderr)
    for line in report.summary():
        print(line)
    return 1 if report.rejected else 0


def cmd_results_report(args: argparse.Namespace) -> int:
    """Write the training report (index.html and CSV files) from the results database."""
    from .results.report import write_report
    from .results.store import AnswerKeys

    db = Path(args.db) if args.db else args.root / "results" / "rollcall.sqlite"
    keys = Path(args.keys) if args.keys else args.root / "results" / "answer-keys"
    out = Path(args.out)
    report = write_report(db, AnswerKeys(keys), out, Path(args.roster) if args.roster else None)
    print(f"Report of {report.totals['attempts']} attempts by {report.totals['employees']} employees: {out / 'index.html'}")
    return 0


def cmd_import_order(args: argparse.Namespace) -> int:
    """Turn General Orders in plain text (pdftotext output is fine) into policy YAML, every
    sentence kept: one FILE.txt, or every *.txt in a folder. Page headers and footers, page marks,
    contents lists and signature blocks are left out and counted; a line that cannot be placed is
    reported as FILE:LINE and that file is not written. Existing files are kept unless --force."""
    from .importer.folder import describe, import_folder, import_one, progress_stream, table

    source = Path(args.path)
    out = Path(args.out) if args.out else None
    default_dir = args.root / "policy"
    if str(source) != "-" and source.is_dir():
        rows = import_folder(source, out, default_dir, args.force, progress_stream())
        for row in rows:
            for problem in row.problems:
                print(problem, file=sys.stderr)
            if row.imported is not None and args.list_left_out:
                for item in row.imported.left_out:
                    print(f"{source / row.file}:{item.line}: left out ({item.kind}): {item.text}")
        for line in table(rows):
            print(line)
        failed = sum(1 for row in rows if not row.ok)
        print(f"{len(rows) - failed} of {len(rows)} order(s) imported into {out or default_dir}" + (f"; {failed} failed" if failed else ""))
        if args.build and not failed:
            _build_after_import(args.root, [row.imported.order["number"] for row in rows if row.imported])
        return 1 if failed else 0
    imported, path = import_one(source, out, default_dir, args.force)
    if args.list_left_out:
        for item in imported.left_out:
            print(f"{source}:{item.line}: left out ({item.kind}): {item.text}")
    print(f"Imported GO {imported.order['number']} ({imported.order['title']}): {describe(imported)} -> {path}")
    print(f"Left out: {imported.left_out_summary()}" + ("" if args.list_left_out or not imported.left_out else " (--list-left-out lists them)"))
    if args.build:
        _build_after_import(args.root, [imported.order["number"]])
    return 0


def _build_after_import(root: Path, numbers: list[str]) -> None:
    """Build the project's site with the imported orders and say where their pages are."""
    from .build import build_site
    from .model import slugify

    report = build_site(root, root / "site")
    print(report)
    for number in numbers:
        print(f"  GO {number}: {report.out / 'orders' / (slugify(number) + '.html')}")


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="rollcall",
        description="Turn General Orders (policy/*.yaml) into a searchable, offline policy site.",
    )
    main.add_argument("--root", type=_project_root, default=None, help="project folder (default: the current folder)")
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser("check", help="validate orders only; exit 0 when valid", description=cmd_check.__doc__)
    check.set_defaults(func=cmd_check)

    build = commands.add_parser("build", help="validate and build the site (default into site/)", description=cmd_build.__doc__)
    build.add_argument("--out", help="output folder (default: site/ in the project)")
    build.add_argument("--keep-docs", help="also keep the generated Markdown and mkdocs.yml in this folder")
    build.set_defaults(func=cmd_build)

    diff = commands.add_parser("diff", help="what changed in an order between two revisions", description=cmd_diff.__doc__)
    diff.add_argument("order", metavar="ORDER", help="order number, e.g. 418")
    diff.add_argument("rev_a", metavar="REV_A", help="earlier revision: its effective date (YYYY-MM-DD)")
    diff.add_argument("rev_b", metavar="REV_B", nargs="?", default="current", help="later revision (default: current)")
    diff.add_argument("--no-colour", action="store_true", help="mark changes with [-…-] and {+…+} even on a terminal")
    diff.set_defaults(func=cmd_diff)

    serve = commands.add_parser("serve", help="serve the site on localhost with live reload", description=cmd_serve.__doc__)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(func=cmd_serve)

    imp_order = commands.add_parser("import-order", help="import plain-text orders (a file or a folder) into policy/", description=cmd_import_order.__doc__)
    imp_order.add_argument("path", metavar="FILE_OR_DIR", help="an order as plain text, a folder of *.txt orders, or - to read (paste) one order from standard input")
    imp_order.add_argument("--out", help="YAML file or folder to write into (default: policy/, as go-NUMBER.yaml)")
    imp_order.add_argument("--force", action="store_true", help="overwrite existing YAML files")
    imp_order.add_argument("--build", action="store_true", help="then build the site (into site/) and print each imported order's page")
    imp_order.add_argument("--list-left-out", action="store_true", help="list every line left out (page furniture, contents, signatures)")
    imp_order.set_defaults(func=cmd_import_order)

    results = commands.add_parser("results", help="the training unit's attempt records: import and report",
                                  description="Import attempt records and report on them.")
    results_commands = results.add_subparsers(dest="results_command", required=True, metavar="COMMAND")
    imp = results_commands.add_parser("import", help="import attempt records into the results database", description=cmd_results_import.__doc__)
    imp.add_argument("paths", nargs="*", metavar="FILE_OR_DIR", help=".json or .jsonl attempt records, or folders of them")
    imp.add_argument("--from-lrs", metavar="URL", help="read attempts from a Learning Record Store (its xAPI endpoint, e.g. https://lrs/xAPI/)")
    imp.add_argument("--lrs-user", help="LRS user (needs read access)")
    imp.add_argument("--lrs-password", help="LRS password (default: $ROLLCALL_LRS_PASSWORD)")
    imp.set_defaults(func=cmd_results_import)
    rep = results_commands.add_parser("report", help="write the HTML and CSV training report", description=cmd_results_report.__doc__)
    rep.add_argument("--out", required=True, help="folder for index.html and the CSV files")
    rep.add_argument("--roster", help="CSV of employees (columns employee_id, name) to report who has not passed")
    rep.set_defaults(func=cmd_results_report)
    for sub in (imp, rep):
        sub.add_argument("--db", help="results database (default: results/rollcall.sqlite in the project)")
        sub.add_argument("--keys", help="archived answer keys (default: results/answer-keys in the project)")
    return main


GC_YOUNG_THRESHOLD = 100_000
"""Rollcall allocates a great many small objects that live until it is done (parsed YAML, the
model, cached results); Python's default young-generation collection every 700 allocations
spends a third of a check's time walking them. Cycles are still collected, less often."""


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.root is None:
        args.root = Path.cwd()
    collecting = gc.get_threshold()
    gc.set_threshold(GC_YOUNG_THRESHOLD, *collecting[1:])
    try:
        return args.func(args)
    except RollcallError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        count = len(exc.problems)
        print(f"rollcall: {count} problem{'s' if count != 1 else ''} found; nothing was changed.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into a pager or `head` that closed early
        sys.stderr.close()
        return 0
    finally:
        gc.set_threshold(*collecting)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

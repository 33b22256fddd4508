"""The `rollcall` command: the only place that prints a RollcallError and exits."""

from __future__ import annotations

import argparse
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

    out = Path(args.out) if args.out else args.root / "site"
    report = build_site(args.root, out, keep_docs=Path(args.keep_docs) if args.keep_docs else None)
    print(f"Built {report.pages} pages for {report.orders} order(s) in {report.seconds:.1f} s: {report.out}")
    print(f"Open {report.out / 'index.html'} in a browser, or run `rollcall serve`.")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Build, serve on localhost, rebuild and reload when an order or scenario changes."""
    from .serve import serve

    serve(args.root, host=args.host, port=args.port)
    return 0


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

    serve = commands.add_parser("serve", help="serve the site on localhost with live reload", description=cmd_serve.__doc__)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(func=cmd_serve)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.root is None:
        args.root = Path.cwd()
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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

"""`rollcall serve`: build, serve on loopback, rebuild (only what changed) and reload the
browser on every change."""

from __future__ import annotations

import logging
import sys
import tempfile
from pathlib import Path

from .errors import RollcallError
from .rebuild import Rebuilder

WATCHED = ("policy", "scenarios", "mkdocs.yml", "site_overrides")


def serve(root: Path, host: str = "127.0.0.1", port: int = 8000) -> None:
    from mkdocs.livereload import LiveReloadServer

    site = Path(tempfile.mkdtemp(prefix="rollcall-serve-")) / "site"
    builder = Rebuilder(root, site)

    def rebuild() -> None:
        try:
            print(builder.rebuild(), file=sys.stderr)
        except RollcallError as exc:  # keep serving the last good site
            for problem in exc.problems:
                print(problem, file=sys.stderr)
            print("rollcall: the last good site is still being served.", file=sys.stderr)

    rebuild()
    if not site.exists():
        builder.close()
        raise RollcallError.at("policy", 1, "the first build failed; fix the problems above and run again")
    logging.getLogger("mkdocs.livereload").setLevel(logging.INFO)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    server = LiveReloadServer(builder=rebuild, host=host, port=port, root=str(site))
    for name in WATCHED:
        path = root / name
        if path.exists():
            server.watch(str(path))
    print(f"Serving on http://{host}:{port}/ (Ctrl+C to stop)", file=sys.stderr)
    try:
        server.serve()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        builder.close()

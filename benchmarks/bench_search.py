"""How long the site's search takes to show the right result, in headless Chromium.

    python benchmarks/bench_search.py                      # builds a 200-order synthetic site
    python benchmarks/bench_search.py --site /tmp/b/dept-200/site --orders 200
    python benchmarks/bench_search.py --site site --query 418.05.G 418.05.G \\
        --query "crime scene photo" 418.05.F                # any site, your own queries

The site is served on 127.0.0.1 (http.server in a thread) and opened in Debian's Chromium
(/usr/bin/chromium) through Playwright, on an order page. A warm-up query waits until the search
index is loaded. Then each query is typed key by key, as a person would (Material's search
reacts to `keyup`), --runs times, and in the page itself (performance.now()) we record:

  t0       the keyup of the query's last key
  worker   the search worker's answer to that query (earlier answers, to prefixes typed
           before, are not counted: a wrapper around Worker pairs queries and answers; the
           query is paired as the site sends it, several words all required)
  shown    the first DOM change after that answer with a `.md-search-result__item` whose link
           points at the expected anchor (MutationObserver on `.md-search-result__list`)
  painted  two animation frames after `shown`, i.e. when it is on screen

and print, per query, the rank of the expected result's item and the median and max of
shown - t0 and painted - t0 in milliseconds.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import landmarks, write_department  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
TARGET_MS = 300.0
WARM_UP_QUERY = "policy"

# Runs before any script of the page. Counts Material's query (type 2) and result (type 3)
# messages to and from its search worker, and times one armed query (window.__bench.run).
HOOK = r"""
(() => {
  const B = window.__bench = {posted: 0, received: 0, sent: [], readyAt: null, run: null};
  const Native = window.Worker;
  if (Native) {
    window.Worker = class extends Native {
      constructor(...args) {
        super(...args);
        this.addEventListener("message", (event) => {
          const data = event.data || {};
          if (data.type === 1 && B.readyAt === null) B.readyAt = performance.now();
          if (data.type === 3) {
            B.received++;
            const answered = B.sent.shift();
            const r = B.run;
            // the answer to the query as the page sends it, once its last key is up
            if (r && r.t0 !== null && r.tResult === null && answered === r.sentQuery) {
              r.tResult = performance.now();
            }
          }
        });
      }
      postMessage(message, ...rest) {
        if (message && message.type === 2) { B.posted++; B.sent.push(message.data); }
        return super.postMessage(message, ...rest);
      }
    };
  }

  B.arm = (query, anchor) => {
    const rewrite = window.Rollcall && window.Rollcall.searchAllWords;
    // as typed, or as the page's all-words search rewrites it (search-all-words.js)
    B.run = {query, anchor, sentQuery: (rewrite && rewrite(query)) || query, t0: null, tResult: null,
             tDom: null, tPaint: null, rank: null, items: null, renders: 0, done: false};
  };

  function findExpected(list, anchor) {
    const items = list.querySelectorAll(":scope > li.md-search-result__item");
    for (let i = 0; i < items.length; i++) {
      for (const a of items[i].querySelectorAll("a[href]")) {
        if (decodeURIComponent(new URL(a.href, location.href).hash) === "#" + anchor) {
          return {rank: i + 1, items: items.length};
        }
      }
    }
    return null;
  }

  B.topResults = () => Array.from(
    document.querySelectorAll(".md-search-result__list > li.md-search-result__item a[href]"),
    (a) => decodeURIComponent(new URL(a.href, location.href).hash || a.getAttribute("href"))
  ).slice(0, 8);

  document.addEventListener("DOMContentLoaded", () => {
    const input = document.querySelector("input.md-search__input");
    const list = document.querySelector(".md-search-result__list");
    if (!input || !list) return;
    // Registered after Material's own keyup listener, which has posted the query by now.
    input.addEventListener("keyup", () => {
      const r = B.run;
      if (r && r.t0 === null && input.value === r.query) {
        r.t0 = performance.now();
      }
    });
    new MutationObserver(() => {
      const r = B.run;
      if (!r || r.t0 === null || r.tDom !== null) return;
      r.renders++;
      if (r.tResult === null) return;  // still the answer to a prefix typed earlier
      const hit = findExpected(list, r.anchor);
      if (!hit) return;
      r.tDom = performance.now();
      r.rank = hit.rank;
      r.items = hit.items;
      requestAnimationFrame(() => requestAnimationFrame(() => {
        r.tPaint = performance.now();
        r.done = true;
      }));
    }).observe(list, {childList: true, subtree: true});
  });
})();
"""


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def serve(site: Path) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def build_synthetic(work: Path, orders: int, seed: int) -> Path:
    root = work / f"dept-{orders}"
    log(f"writing a {orders}-order department to {root}")
    write_department(root, orders, seed=seed)
    rollcall = Path(sys.executable).parent / "rollcall"
    command = [str(rollcall)] if rollcall.exists() else [sys.executable, "-m", "generator"]
    log("building its site with rollcall build")
    started = time.perf_counter()
    subprocess.run([*command, "--root", str(root), "build", "--out", str(root / "site")], check=True,
                   stdout=subprocess.DEVNULL, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    log(f"built in {time.perf_counter() - started:.1f} s")
    return root / "site"


def first_order_page(site: Path) -> str:
    def key(p: Path) -> tuple:
        return (0, int(p.stem)) if p.stem.isdigit() else (1, p.stem)

    pages = sorted((site / "orders").glob("*.html"), key=key)
    if not pages:
        raise SystemExit(f"bench_search: no order pages in {site / 'orders'}")
    return f"orders/{pages[0].name}"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def clear_search(page, timeout_ms: float) -> None:
    """Empty the search box and wait until the worker has answered everything and the list is empty."""
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    page.wait_for_function(
        """() => {
          const B = window.__bench;
          const list = document.querySelector('.md-search-result__list');
          return document.querySelector('input.md-search__input').value === ''
            && B.received >= B.posted && list && list.children.length === 0;
        }""",
        timeout=timeout_ms,
    )


def time_query(page, query: str, anchor: str, key_delay: float, timeout_ms: float) -> dict:
    clear_search(page, timeout_ms)
    page.evaluate("([q, a]) => window.__bench.arm(q, a)", [query, anchor])
    page.keyboard.type(query, delay=key_delay)
    try:
        page.wait_for_function("() => window.__bench.run.done", timeout=timeout_ms)
    except Exception:  # playwright's TimeoutError
        run = page.evaluate("() => window.__bench.run")
        top = page.evaluate("() => window.__bench.topResults()")
        run["error"] = f"#{anchor} not shown within {timeout_ms / 1000:.0f} s; first results: {', '.join(top) or 'none'}"
        return run
    return page.evaluate("() => window.__bench.run")


def fmt_ms(values: list[float]) -> tuple[str, str]:
    return f"{statistics.median(values):.0f}", f"{max(values):.0f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time Rollcall's search in headless Chromium: last keystroke to the right result on screen.")
    parser.add_argument("--site", type=Path, help="a built site to use (default: build a synthetic one)")
    parser.add_argument("--orders", type=int, default=200, help="orders in the synthetic department (default 200); "
                        "with --site, the size it was built with, for the default queries")
    parser.add_argument("--seed", type=int, default=418)
    parser.add_argument("--query", nargs=2, action="append", metavar=("QUERY", "ANCHOR"),
                        help="a query and the anchor its result must link to (repeatable; default: the synthetic "
                             "department's citation and everyday-words landmarks)")
    parser.add_argument("--runs", type=int, default=5, help="runs per query (default 5)")
    parser.add_argument("--key-delay", type=float, default=100, metavar="MS",
                        help="pause between keystrokes, ms (default 100, a fast typist)")
    parser.add_argument("--timeout", type=float, default=30, metavar="S", help="give up on one run after S seconds (default 30)")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="build the synthetic site in DIR and keep it")
    parser.add_argument("--headed", action="store_true", help="show the browser window")
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    load_before = os.getloadavg()[0]

    queries = args.query or [landmarks(args.orders).get(k) for k in ("citation", "everyday")]
    work = None
    if args.site:
        site = args.site.resolve()
    elif args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        site = build_synthetic(args.keep.resolve(), args.orders, args.seed)
    else:
        work = Path(tempfile.mkdtemp(prefix="rollcall-bench-search-"))
        site = build_synthetic(work, args.orders, args.seed)
    timeout_ms = args.timeout * 1000
    try:
        index = (site / "search" / "search_index.json").read_bytes()
        server = serve(site)
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        page_path = first_order_page(site)
        results: list[tuple[str, str, list[dict]]] = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=not args.headed)
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.add_init_script(HOOK)
            log(f"opening {base}{page_path}")
            page.goto(base + page_path, wait_until="load")
            search = page.locator("input.md-search__input")
            search.click()
            # Warm-up: the index is built in the worker; wait for a first answer on screen.
            started = time.perf_counter()
            page.keyboard.type(WARM_UP_QUERY, delay=args.key_delay)
            page.wait_for_function(
                "() => document.querySelectorAll('.md-search-result__list > li').length > 0",
                timeout=max(timeout_ms, 120_000),
            )
            warm_s = time.perf_counter() - started
            ready_ms = page.evaluate("() => window.__bench.readyAt")
            hooked = page.evaluate("() => window.__bench.posted") > 0
            if not hooked:
                raise SystemExit("bench_search: could not observe the search worker's messages (Worker hook not installed)")
            for query, anchor in queries:
                runs = []
                for n in range(args.runs):
                    log(f"query {query!r} -> #{anchor}: run {n + 1}/{args.runs}")
                    run = time_query(page, query, anchor, args.key_delay, timeout_ms)
                    if "error" not in run and n == 0 and run["sentQuery"] != query:
                        log(f"  (sent to the search worker as {run['sentQuery']!r})")
                    if "error" not in run:
                        log(f"  worker {run['tResult'] - run['t0']:.0f} ms, shown {run['tDom'] - run['t0']:.0f} ms, "
                            f"painted {run['tPaint'] - run['t0']:.0f} ms, rank {run['rank']} of {run['items']}")
                    runs.append(run)
                results.append((query, anchor, runs))
            version = browser.version
            browser.close()
        server.shutdown()
    finally:
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)

    print(f"Rollcall search benchmark: Chromium {version}, {os.cpu_count()} CPUs, page {page_path}, "
          f"{args.runs} runs per query, {args.key_delay:.0f} ms between keys; "
          f"load average {load_before:.2f} before, {os.getloadavg()[0]:.2f} after")
    print(f"search index: {len(index) / 1e3:,.0f} KB ({len(gzip.compress(index, 6)) / 1e3:,.0f} KB gzipped); "
          f"worker ready {ready_ms / 1000:.2f} s after navigation start; "
          f"warm-up query {WARM_UP_QUERY!r} answered {warm_s:.2f} s after the click")
    columns = [("query", 20), ("expected", 18), ("rank", 4), ("shown ms med", 12), ("max", 5),
               ("painted ms med", 14), ("max", 5), ("worker ms med", 13)]
    print("  ".join(h.ljust(w) if i < 2 else h.rjust(w) for i, (h, w) in enumerate(columns)))
    print("  ".join("-" * w for _, w in columns))
    worst = 0.0
    failed = []
    for query, anchor, runs in results:
        ok = [r for r in runs if "error" not in r]
        failed += [f"{query!r}: {r['error']}" for r in runs if "error" in r]
        if not ok:
            cells = [query, f"#{anchor}", "-", "-", "-", "-", "-", "-"]
        else:
            shown = [r["tDom"] - r["t0"] for r in ok]
            painted = [r["tPaint"] - r["t0"] for r in ok]
            worker = [r["tResult"] - r["t0"] for r in ok]
            ranks = sorted({r["rank"] for r in ok})
            worst = max(worst, max(painted))
            cells = [query, f"#{anchor}", "/".join(map(str, ranks)), *fmt_ms(shown), *fmt_ms(painted),
                     fmt_ms(worker)[0]]
        print("  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, (_, w)) in enumerate(zip(cells, columns))))
    for line in failed:
        print(f"FAILED {line}")
    if not failed:
        verdict = "ok" if worst <= TARGET_MS else "MISSED"
        print(f"target: first result painted <= {TARGET_MS:.0f} ms after the last keystroke: worst {worst:.0f} ms, {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

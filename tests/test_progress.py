"""Progress on one terminal line: counted, redrawn, cleared; silent where there is no terminal."""

from __future__ import annotations

import io

from generator.progress import Progress


def lines(stream: io.StringIO) -> list[str]:
    return stream.getvalue().split("\r\033[K")[1:]


def test_bar_counts_things_and_can_be_kept() -> None:
    stream = io.StringIO()
    bar = Progress(stream, width=4)
    bar.count(0, 2, "a.txt", every=0)
    bar.count(1, 2, "b.txt", every=0)
    bar.count(2, 2, "done")
    bar.done(keep=True)
    assert lines(stream) == ["[----] 0/2 a.txt", "[##--] 1/2 b.txt", "[####] 2/2 done\n"]


def test_counted_items_pass_through_and_the_line_is_redrawn_sparingly() -> None:
    stream = io.StringIO()
    bar = Progress(stream, width=10)
    assert list(bar.counted(range(1000), 1000, "records")) == list(range(1000))
    drawn = lines(stream)
    assert drawn[0] == "[----------] 0/1000 records" and drawn[-1] == "[##########] 1000/1000 records"
    assert len(drawn) < 50  # not once per item
    bar.step("Writing pages")
    bar.done("Built 3 pages")
    assert lines(stream)[-2:] == ["Writing pages…", "Built 3 pages\n"]


def test_without_a_terminal_nothing_is_drawn(monkeypatch) -> None:
    monkeypatch.setattr("sys.stderr", io.StringIO())
    bar = Progress.on_terminal()
    bar.step("Reading orders")
    list(bar.counted([1, 2], 2))
    bar.done("summary")
    assert bar.stream is None


def test_a_build_reports_its_stages_and_counts_its_pages(tmp_path) -> None:
    import datetime as dt

    from generator.build import build_site
    from tests.conftest import ROOT

    stream = io.StringIO()
    report = build_site(ROOT, tmp_path / "site", today=dt.date(2026, 11, 25), archive=tmp_path / "keys",
                        progress=Progress(stream, width=10))
    drawn = lines(stream)
    assert drawn[0] == "Reading and checking the orders…"
    assert "Checking the training scenarios against 1 order(s)…" in drawn
    bars = [line for line in drawn if line.endswith("pages read, then written")]
    steps = 2 * report.pages - 2  # every page but the 404 and sitemap templates, read then written
    assert bars[-1] == f"[##########] {steps}/{steps} pages read, then written", bars[-1]
    assert drawn[-1] == ""  # the line is cleared for the summary

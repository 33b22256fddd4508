"""Headless Debian Chromium driven by Playwright; never a downloaded browser."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Iterator

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"browser tests need Debian's Chromium at {CHROMIUM}: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


BLOCKING = ("serious", "critical")


@pytest.fixture(scope="session")
def axe():  # type: ignore[no-untyped-def]
    """axe-core, as bundled by axe-playwright-python."""
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def assert_no_blocking_violations(axe, page, where: str) -> None:  # type: ignore[no-untyped-def]
    """Fail with a readable list when axe finds a serious or critical violation on the page."""
    violations = axe.run(page).response["violations"]
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    lines = []
    for v in blocking:
        lines.append(f"{v['id']} ({v['impact']}, {len(v['nodes'])} node(s)): {v['help']}")
        for node in v["nodes"][:3]:
            summary = (node.get("failureSummary") or "").splitlines()
            lines.append(f"    {' '.join(map(str, node['target']))}  {summary[1].strip() if len(summary) > 1 else ''}")
    if blocking:
        pytest.fail(f"axe found serious/critical violations on {where}:\n" + "\n".join(lines))


VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@contextlib.contextmanager
def viewing(browser, viewport: str, scheme: str) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """A page at a named width ("desktop" or "phone", the latter touch and mobile) in the
    colour scheme "light" or "dark"; its context is closed afterwards."""
    phone = viewport == "phone"
    context = browser.new_context(viewport=VIEWPORTS[viewport], color_scheme=scheme, is_mobile=phone, has_touch=phone)
    try:
        yield context.new_page()
    finally:
        context.close()

"""The web app in a real browser: Debian's Chromium driven by Playwright (no browser download).

One browser session walks the journey a solutions architect takes: fill the form, see the report,
it is saved, edit it, a second version, compare the two, download the template, reopen by permalink,
and the same pages at phone width. Set ``CLOUDWRIGHT_SCREENSHOTS=DIR`` to keep screenshots.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CLOUDWRIGHT_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def _need(what: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser tests must run in CI: {what}")
    pytest.skip(what)


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    home = tmp_path_factory.mktemp("browser")
    proc = subprocess.Popen(
        [sys.executable, "-m", "cloudwright", "serve", "--port", str(port)],
        env={**os.environ, "CLOUDWRIGHT_HOME": str(home), "CLOUDWRIGHT_DATABASE_URL": ""},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        import httpx

        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(base + "/api/patterns", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                pytest.fail("the web server did not start")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture(scope="module")
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        _need(f"{CHROMIUM} not found (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _need("the playwright package is not installed")
        return
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


def _shot(page, name: str) -> None:
    out = os.environ.get("CLOUDWRIGHT_SCREENSHOTS")
    if out:
        Path(out).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(out) / f"{name}.png"), full_page=True)


@pytest.mark.slow
def test_architect_journey(server, browser, tmp_path):
    from playwright.sync_api import expect

    context = browser.new_context(
        base_url=server, viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))

    # 1. fill the form: labels with units, numeric inputs with limits, grouped sections
    page.goto("/")
    expect(page.get_by_label("Monthly active users (users)")).to_have_attribute("type", "number")
    expect(page.locator("#f-availability_target")).to_have_attribute("max", "99.999")
    expect(page.locator("fieldset#section-targets legend")).to_have_text("Targets")
    page.get_by_label("Design name").fill("shop-e2e")
    page.get_by_label("Monthly active users (users)").fill("2000")
    page.get_by_label("Monthly budget (production) (USD/month)").fill("600")
    page.locator("select#f-application_type").select_option("saas_platform")
    _shot(page, "1-form")

    # progress shows while it designs (submission held back once to look at it)
    page.locator("form.designer").evaluate(
        "f => f.addEventListener('submit', e => e.preventDefault(), {once: true})"
    )
    page.locator("#design-submit").click()
    expect(page.locator(".progress")).to_be_visible()
    expect(page.locator("#design-submit")).to_be_disabled()
    with page.expect_navigation():
        page.locator("form.designer").evaluate("f => f.submit()")

    # 2. the report, saved as version 1 with a permalink
    expect(page).to_have_url(re.compile(r"/designs/\d+/versions/1$"))
    permalink_v1 = page.url
    expect(page.locator("h1")).to_contain_text("shop-e2e")
    expect(page.locator("h1 .badge")).to_have_text("version 1 of 1")
    expect(page.locator("#total")).to_contain_text("$")
    total_v1 = page.locator("#total").text_content()
    expect(page.locator("#candidates tbody tr")).not_to_have_count(0)
    diagram = page.locator(".diagram img")
    if diagram.count():
        page.wait_for_function("() => document.querySelector('.diagram img').naturalWidth > 0")
    # the estimate table sorts by monthly cost
    page.locator("#estimate th", has_text="Monthly (USD)").click()
    values = page.locator("#estimate tbody tr td:nth-child(6)").evaluate_all(
        "cells => cells.map(c => parseFloat(c.dataset.value))"
    )
    assert values == sorted(values) and len(values) > 3
    page.locator("#estimate th", has_text="Monthly (USD)").click()
    values = page.locator("#estimate tbody tr td:nth-child(6)").evaluate_all(
        "cells => cells.map(c => parseFloat(c.dataset.value))"
    )
    assert values == sorted(values, reverse=True)
    _shot(page, "2-report")

    # the workspace lists it with its cost and verdict
    page.goto("/designs")
    row = page.locator("#designs tbody tr", has_text="shop-e2e")
    expect(row).to_have_count(1)
    expect(row.locator(".verdict")).not_to_be_empty()
    _shot(page, "3-workspace")
    row.locator("a").click()

    # 3. edit: more users → version 2
    page.locator("#edit").click()
    expect(page.get_by_label("Monthly active users (users)")).to_have_value("2000")
    page.get_by_label("Monthly active users (users)").fill("150000")
    page.locator("#design-submit").click()
    expect(page).to_have_url(re.compile(r"/designs/\d+/versions/2$"))
    expect(page.locator("h1 .badge")).to_have_text("version 2 of 2")

    # 4. compare the two versions
    page.locator("#compare-prev").click()
    expect(page.locator("#cost-delta")).to_contain_text("/month")
    expect(page.locator("#req-changes")).to_contain_text("expected_users")
    expect(page.locator("#req-changes")).to_contain_text("2000 → 150000")
    _shot(page, "4-compare")
    page.go_back()

    # 5. download the template
    with page.expect_download() as info:
        page.locator('a[data-file="template.yaml"]').click()
    target = tmp_path / "template.yaml"
    info.value.save_as(target)
    assert target.read_text().startswith("AWSTemplateFormatVersion")

    # 6. reopen version 1 by its permalink in a fresh page
    again = context.new_page()
    again.goto(permalink_v1)
    expect(again.locator("h1 .badge")).to_have_text("version 1 of 2")
    expect(again.locator("#total")).to_have_text(total_v1 or "")
    again.close()

    # the API docs render offline, from local assets only. ReDoc's bundle asks for its vendor's logo
    # from a CDN; the Content-Security-Policy refuses it, so nothing leaves the browser.
    loaded_outside: list[str] = []
    page.on(
        "requestfinished",
        lambda r: loaded_outside.append(r.url) if not r.url.startswith((server, "data:", "blob:")) else None,
    )
    page.goto("/docs")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible(timeout=20_000)
    page.goto("/redoc")
    expect(page.get_by_text("Create Design").first).to_be_attached(timeout=20_000)
    page.wait_for_timeout(500)
    assert not loaded_outside, loaded_outside
    problems[:] = [p for p in problems if "cdn.redoc.ly" not in p]

    # 7. phone width: nothing wider than the screen (wide tables scroll inside their own box)
    phone = browser.new_context(base_url=server, viewport={"width": 390, "height": 844}, is_mobile=True)
    small = phone.new_page()
    for path in ("/", "/designs", permalink_v1.replace(server, "")):
        small.goto(path)
        width = small.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 390, (path, width)
    _shot(small, "5-phone-report")
    small.goto("/")
    _shot(small, "6-phone-form")
    phone.close()
    context.close()
    assert not problems, problems  # no script errors, no CSP violations

"""Drive headless Chromium (Debian's /usr/bin/chromium) through Playwright for the view tests and benchmark.

The browser is found at ``$KG_CHROMIUM`` or ``/usr/bin/chromium`` (``scripts/ensure-chromium`` installs it).
Pages are opened in an offline context, and every request the page makes is recorded, so a test can check
that a view asks for nothing but itself.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def chromium_path() -> str | None:
    """The Chromium executable to use, or None when there is none."""
    for candidate in (os.environ.get("KG_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


@dataclass
class PageLog:
    """What a page did: console errors, uncaught exceptions, requests, dialogs."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def foreign_requests(self, own: str) -> list[str]:
        """Requests to anything but the page's own URL."""
        return [r for r in self.requests if r != own and not r.startswith(("data:", "about:"))]


class Browser:
    """One headless Chromium; :meth:`open` gives a fresh offline page for a file."""

    def __init__(self, executable: str) -> None:
        from playwright.sync_api import sync_playwright

        self._pw = sync_playwright().start()
        try:
            self._browser = self._pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        except Exception:
            self._pw.stop()
            raise

    def close(self) -> None:
        self._browser.close()
        self._pw.stop()

    @contextmanager
    def open(self, path: Path, *, width: int = 1400, height: int = 900, wait: bool = True,
             timeout: float = 60.0) -> Iterator[tuple[Any, PageLog]]:
        """Open ``path`` offline; yield (page, log). With ``wait``, return once the view reports it is drawn."""
        context = self._browser.new_context(viewport={"width": width, "height": height}, offline=True)
        page = context.new_page()
        log = PageLog()
        page.on("console", lambda m: log.console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: log.page_errors.append(str(e)))
        page.on("request", lambda r: log.requests.append(r.url))

        def on_dialog(dialog: Any) -> None:
            log.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        try:
            page.goto(path.resolve().as_uri(), wait_until="load", timeout=timeout * 1000)
            if wait:
                wait_until_drawn(page, timeout=timeout)
            yield page, log
        finally:
            context.close()

    def time_to_draw(self, path: Path, *, expression: str = "window.kgView && window.kgView.drawn && "
                     "window.kgView.drawnAt", timeout: float = 60.0) -> float | None:
        """Seconds from navigation start until ``expression`` gives a time in ms (None: not within timeout)."""
        return self.draw_costs(path, expression=expression, timeout=timeout)[0]

    def draw_costs(self, path: Path, *, expression: str = "window.kgView && window.kgView.drawn && "
                   "window.kgView.drawnAt", timeout: float = 60.0) -> tuple[float | None, float | None]:
        """(seconds from navigation start until ``expression`` gives a time in ms, CPU seconds the browser's
        processes spent meanwhile — a figure that does not grow with the machine's load); None: not drawn."""
        context = self._browser.new_context(viewport={"width": 1400, "height": 900}, offline=True)
        page = context.new_page()
        try:
            before = _browser_cpu()
            start = time.perf_counter()
            page.goto(path.resolve().as_uri(), wait_until="commit", timeout=timeout * 1000)
            while time.perf_counter() - start < timeout:
                value = page.evaluate(expression)
                if value:
                    after = _browser_cpu()
                    cpu = None if before is None or after is None else after - before
                    return float(value) / 1000.0, cpu
                time.sleep(0.05)
            return None, None
        finally:
            context.close()


def _browser_cpu() -> float | None:
    """User and system CPU seconds of every Chromium process under this one (None without psutil)."""
    try:
        import psutil
    except ImportError:
        return None
    total = 0.0
    for proc in psutil.Process().children(recursive=True):
        try:
            if "chrom" in proc.name():
                times = proc.cpu_times()
                total += times.user + times.system
        except psutil.Error:
            continue
    return total


def wait_until_drawn(page: Any, *, timeout: float = 60.0) -> None:
    """Wait until the view reports its first drawing (polled from outside: the page's CSP forbids eval)."""
    deadline = time.perf_counter() + timeout
    while not page.evaluate("Boolean(window.kgView && window.kgView.drawn)"):
        if time.perf_counter() > deadline:
            raise TimeoutError(f"the view was not drawn within {timeout} s")
        time.sleep(0.05)


def wait_for(page: Any, expression: str, *, timeout: float = 30.0) -> Any:
    """Poll ``expression`` in the page until it is truthy; its value (the page's CSP forbids eval, so
    Playwright's ``wait_for_function`` cannot run there)."""
    deadline = time.perf_counter() + timeout
    while True:
        value = page.evaluate(expression)
        if value:
            return value
        if time.perf_counter() > deadline:
            raise TimeoutError(f"not true within {timeout} s: {expression}")
        time.sleep(0.05)


def text_order(page: Any, selector: str, text: str, first: str, second: str) -> tuple[float, float]:
    """Left edges on screen of substrings ``first`` and ``second`` of ``text``, inside the first text node of
    ``selector``'s elements that holds ``text`` (to check the reading order that bidi gives)."""
    return tuple(page.evaluate(
        """([selector, text, first, second]) => {
          for (const root of document.querySelectorAll(selector)) {
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
              const at = node.data.indexOf(text);
              if (at < 0) { continue; }
              const box = (s) => { const r = document.createRange(); const i = at + text.indexOf(s);
                                   r.setStart(node, i); r.setEnd(node, i + s.length);
                                   return r.getBoundingClientRect().left; };
              return [box(first), box(second)];
            }
          }
          return null;
        }""",
        [selector, text, first, second],
    ))


def edge_point(page: Any, edge_id: int) -> tuple[float, float]:
    """Page coordinates of the middle of a drawn (straight) edge, for a real mouse click."""
    return page.evaluate(
        """(id) => {
          const net = window.kgView.network;
          const edge = window.kgView.edges.get(id);
          const [a, b] = [edge.from, edge.to];
          const pos = net.getPositions([a, b]);
          const mid = {x: (pos[a].x + pos[b].x) / 2, y: (pos[a].y + pos[b].y) / 2};
          const dom = net.canvasToDOM(mid);
          const box = document.getElementById('kg-network').getBoundingClientRect();
          return [box.left + dom.x, box.top + dom.y];
        }""",
        edge_id,
    )

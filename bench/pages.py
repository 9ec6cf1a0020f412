"""Page weight and first contentful paint of the main pages in Chromium, against the running server.

For each page: a cold visit (fresh profile: empty cache and cookies) and a warm one (same profile,
second visit), counting the requests that went to the network and the bytes they moved (CDP
``Network.loadingFinished`` encoded lengths: compressed bodies plus headers). gunicorn does not
compress pages (nginx does, in production), so each size is also given as nginx would send it. Then the time to
first contentful paint of a cold visit under emulated slow 3G (Chrome DevTools preset: 2 s
round trip, 400 kbit/s both ways).

    .venv/bin/python -m bench.pages --base http://127.0.0.1:8123 --out /tmp/pages.json [--sessions-file f]
"""

from __future__ import annotations

import argparse
import gzip
import json
import urllib.parse
from pathlib import Path
from typing import Any

from bench.common import MAIN_PAGES, Page, kilobytes

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Chrome DevTools "Slow 3G": 2 s round trip, 500 kbit/s × 0.8 in both directions (bytes per second here).
SLOW_3G = {"offline": False, "latency": 2000, "downloadThroughput": 50_000, "uploadThroughput": 50_000}
TIMEOUT_MS = 60_000
NGINX_GZIP_LEVEL = 5
NGINX_GZIP_MIN_LENGTH = 512
FCP_SCRIPT = """() => new Promise((resolve) => {
  const found = performance.getEntriesByName('first-contentful-paint');
  if (found.length) { resolve(found[0].startTime); return; }
  new PerformanceObserver((list) => resolve(list.getEntries()[0].startTime))
    .observe({type: 'paint', buffered: true});
  setTimeout(() => resolve(null), 10000);
})"""


class NetworkTally:
    """Requests that went to the network and bytes received, from the DevTools protocol of one page.

    A request answered from the memory or disk cache is not counted: it cost no round trip.
    """

    def __init__(self, cdp: Any) -> None:
        self.sent: set[str] = set()
        self.cached: set[str] = set()
        self.bytes = 0
        cdp.on("Network.requestWillBeSent", lambda event: self.sent.add(event["requestId"]))
        cdp.on("Network.requestServedFromCache", lambda event: self.cached.add(event["requestId"]))
        cdp.on("Network.responseReceived", self._received)
        cdp.on("Network.loadingFinished", self._finished)

    def _received(self, event: dict[str, Any]) -> None:
        response = event.get("response", {})
        if response.get("fromDiskCache") or response.get("fromPrefetchCache"):
            self.cached.add(event["requestId"])

    def _finished(self, event: dict[str, Any]) -> None:
        if event["requestId"] not in self.cached:
            self.bytes += int(event.get("encodedDataLength", 0))

    def reset(self) -> tuple[int, int]:
        counted = (len(self.sent - self.cached), self.bytes)
        self.sent, self.cached, self.bytes = set(), set(), 0
        return counted


def nginx_gzip_saving(response: Any) -> int:
    """Bytes nginx would save on an uncompressed HTML answer (deploy/nginx/micro.conf: gzip level 5, ≥ 512 B).

    gunicorn sends pages uncompressed (whitenoise compresses static files only); in production
    nginx compresses them, so the budget is checked against what nginx would send.
    """
    if response is None or response.headers.get("content-encoding"):
        return 0
    if not response.headers.get("content-type", "").startswith("text/html"):
        return 0
    body = response.body()
    if len(body) < NGINX_GZIP_MIN_LENGTH:
        return 0
    return max(len(body) - len(gzip.compress(body, compresslevel=NGINX_GZIP_LEVEL)), 0)


def new_context(browser: Any, base: str, page: Page, session_key: str) -> Any:
    context = browser.new_context(viewport={"width": 360, "height": 740})
    if page.signed_in and session_key:
        host = urllib.parse.urlsplit(base).hostname
        context.add_cookies([{"name": "sessionid", "value": session_key, "domain": host, "path": "/"}])
    return context


def weigh(browser: Any, base: str, page: Page, session_key: str) -> dict[str, Any]:
    context = new_context(browser, base, page, session_key)
    try:
        tab = context.new_page()
        cdp = context.new_cdp_session(tab)
        cdp.send("Network.enable")
        tally = NetworkTally(cdp)
        response = tab.goto(base + page.path, wait_until="networkidle", timeout=TIMEOUT_MS)
        cold_requests, cold_bytes = tally.reset()
        cold_saving = nginx_gzip_saving(response)
        # Through another page: a second navigation to the same address would be a reload.
        tab.goto("about:blank")
        tally.reset()
        warm_response = tab.goto(base + page.path, wait_until="networkidle", timeout=TIMEOUT_MS)
        warm_requests, warm_bytes = tally.reset()
        warm_saving = nginx_gzip_saving(warm_response) if warm_bytes else 0
        return {
            "path": page.path,
            "audience": page.audience,
            "status": response.status if response else 0,
            "cold_requests": cold_requests,
            "cold_kb": kilobytes(cold_bytes),
            "cold_kb_nginx": kilobytes(cold_bytes - cold_saving),
            "warm_requests": warm_requests,
            "warm_kb": kilobytes(warm_bytes),
            "warm_kb_nginx": kilobytes(warm_bytes - warm_saving),
        }
    finally:
        context.close()


def first_paint_slow_3g(browser: Any, base: str, page: Page, session_key: str) -> float | None:
    context = new_context(browser, base, page, session_key)
    try:
        tab = context.new_page()
        cdp = context.new_cdp_session(tab)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", SLOW_3G)
        tab.goto(base + page.path, wait_until="load", timeout=TIMEOUT_MS)
        paint = tab.evaluate(FCP_SCRIPT)
        return round(float(paint)) if paint is not None else None
    finally:
        context.close()


def run(base: str, session_key: str) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    results: dict[str, Any] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            for page in MAIN_PAGES:
                try:
                    results[page.name] = weigh(browser, base, page, session_key)
                    results[page.name]["fcp_slow_3g_ms"] = first_paint_slow_3g(browser, base, page, session_key)
                except Exception as error:  # one broken page must not hide the others
                    results[page.name] = {"path": page.path, "audience": page.audience, "error": str(error)[:300]}
        finally:
            browser.close()
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--sessions-file", type=Path)
    args = parser.parse_args(argv)
    if urllib.parse.urlsplit(args.base).hostname != "127.0.0.1":
        raise SystemExit("The page benchmark only talks to 127.0.0.1.")
    if not CHROMIUM.exists():
        args.out.write_text(json.dumps({"skipped": f"no Chromium at {CHROMIUM}"}))
        return
    keys = json.loads(args.sessions_file.read_text()) if args.sessions_file else []
    results = run(args.base, keys[0] if keys else "")
    args.out.write_text(json.dumps(results, indent=2))
    print(f"pages: {len(results)} pages weighed in Chromium")


if __name__ == "__main__":
    main()

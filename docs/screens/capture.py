"""Screenshots of the main pages, as each kind of user sees them, in Chinese and English, on a wall
or desk screen (1440 px) and a phone (375 px), into this directory. Run against a running platform
(`python3 dev.py run` in another terminal; the demo loaded):

    .venv/bin/python docs/screens/capture.py [--base http://127.0.0.1:8000] [--only incidents]

Each file is `<page>-<lang>-<width>.png`. Look at them: read the Chinese as a civil servant would."""
from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent
PASSWORD = "demo-pass-2026"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"]

# page name, who looks at it, path (the first of a list, when the path needs an id: "first:<list>:<link>")
PAGES = [
    ("workbench", "gg-duty", "/"),
    ("dashboard", "gg-commander", "/dashboard/"),
    ("incident-list", "gg-duty", "/incidents/"),
    ("incident-new", "gg-duty", "/incidents/new/"),
    ("incident-detail", "gg-duty", "first:/incidents/:a[href^='/incidents/'][href$='/']"),
    ("response-inbox", "gg-commander", "/responses/inbox/"),
    ("warning-list", "gg-commander", "/warnings/"),
    ("warning-new", "gg-commander", "/warnings/new/"),
    ("plan-tree", "gg-planadmin", "/plans/"),
    ("plan-detail", "gg-planadmin", "first:/plans/:a[href^='/plans/'][href$='/']"),
    ("people", "gg-sysadmin", "/org/people/"),
    ("org-tree", "gg-sysadmin", "/org/"),
    ("audit-log", "gg-sysadmin", "/audit/"),
    ("notifications", "gg-commander", "/notifications/"),
    ("resources", "gg-commander", "/resources/"),
]


def capture(base: str, only: str | None) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for lang in ("zh-hans", "en"):
            for width in (1440, 375):
                context = browser.new_context(viewport={"width": width, "height": 900}, locale=lang,
                                              extra_http_headers={"Accept-Language": lang})
                page = context.new_page()
                user = None
                for name, who, path in PAGES:
                    if only and only not in name:
                        continue
                    if who != user:
                        context.clear_cookies()
                        page.goto(f"{base}/accounts/login/")
                        page.fill("input[name=username]", who)
                        page.fill("input[name=password]", PASSWORD)
                        page.click("main button[type=submit]")
                        page.wait_for_load_state("networkidle")
                        user = who
                    if path.startswith("first:"):
                        _, listing, selector = path.split(":", 2)
                        page.goto(base + listing)
                        links = [h for h in page.eval_on_selector_all(f"main {selector}", "els => els.map(e => e.getAttribute('href'))")
                                 if h and h.rstrip("/").split("/")[-1].isdigit()]
                        if not links:
                            print(f"{name}: nothing listed at {listing}")
                            continue
                        path = links[0]
                    answer = page.goto(base + path)
                    page.wait_for_load_state("networkidle")
                    short = "zh" if lang.startswith("zh") else "en"
                    target = OUT / f"{name}-{short}-{width}.png"
                    page.screenshot(path=str(target), full_page=True)
                    print(f"{target.name}: HTTP {answer.status if answer else '?'}")
                context.close()
        browser.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--only")
    args = parser.parse_args()
    capture(args.base.rstrip("/"), args.only)

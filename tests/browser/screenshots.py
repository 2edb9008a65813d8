"""Take the site's screenshots: home, a search, a talk and a speaker, per size, language and colour scheme.

Run from the project root: python -m tests.browser.screenshots docs/screenshots PREFIX [--all]
Without --all it takes English light at both sizes and Spanish dark on the phone (a handful of files).
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from meetup.catalog.db import get_session
from meetup.catalog.models import Talk, TalkLink
from tests.browser.test_browser import launched_chromium, seeded_browser_app, serving

VIDEO = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"

SIZES = {"desk": (1280, 800), "phone": (390, 844)}
PAGES = {
    "home": "/",
    "search": "/?q=kubernetes",
    "talk": "/talks/postmortems-at-flywire",
    "speaker": None,  # the first speaker of the talk page
    "events": "/events/",
    "event": "/events/fosdem-2025",
    "event-search": "/?event=fosdem-2025&q=builds",
}
# A conference's schedule, so the event pages show more than the meetup's nights.
CONFERENCE = Path(__file__).parents[1] / "catalog" / "formats" / "data" / "schedules" / "pentabarf.xml"
DEFAULT_SET = [("desk", "en", "light"), ("phone", "en", "light"), ("phone", "es", "dark"), ("desk", "es", "dark")]


def take(folder: Path, prefix: str, combos) -> list[Path]:
    """Save one PNG of the visible viewport per page and combination; return their paths."""
    taken = []
    with tempfile.TemporaryDirectory() as tmp:
        app = seeded_browser_app(Path(tmp), None)
        assert app.test_cli_runner().invoke(args=["index", "follow", "--once"]).exit_code == 0
        assert app.test_cli_runner().invoke(args=["import-talks", str(CONFERENCE)]).exit_code == 0
        with app.app_context():  # the shipped talks have no video: show the talk page with one
            session = get_session()
            session.query(Talk).filter_by(slug="postmortems-at-flywire").one().link_rows = [TalkLink(position=1, kind="video", url=VIDEO)]
            session.commit()
        with serving(app) as url, launched_chromium() as browser:
            for size, language, scheme in combos:
                width, height = SIZES[size]
                context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
                context.add_cookies([{"name": "ui_lang", "value": language, "url": url}])
                page = context.new_page()
                for name, path in PAGES.items():
                    if path is None:
                        page.goto(url + PAGES["talk"])
                        path = page.locator("main a[href*='/speakers/']").first.get_attribute("href")
                    page.goto(url + path)
                    page.wait_for_load_state("networkidle")
                    target = folder / f"{prefix}-{name}-{size}-{language}-{scheme}.png"
                    page.screenshot(path=str(target))
                    taken.append(target)
                context.close()
    return taken


if __name__ == "__main__":
    out, prefix = Path(sys.argv[1]), sys.argv[2]
    out.mkdir(parents=True, exist_ok=True)
    combos = DEFAULT_SET
    if len(sys.argv) > 3 and sys.argv[3] != "--all":
        PAGES = {name: PAGES[name] for name in sys.argv[3].split(",")}
    if "--all" in sys.argv:
        combos = [(s, lang, c) for s in SIZES for lang in ("en", "es") for c in ("light", "dark")]
    for shot in take(out, prefix, combos):
        print(shot)

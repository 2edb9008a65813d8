"""Profile cold fragment requests with pyinstrument and split the time: engine, data, rendering, framework."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

# The deepest frame of a sample that matches decides its share: a template calling the database is data.
CATEGORIES = (
    ("engine", ("/meetup/search/", "/whoosh/", "/numpy/")),
    ("data", ("/sqlalchemy/", "/sqlite3/", "/psycopg/", "/meetup/catalog/models.py", "/meetup/web/cards.py")),
    ("rendering", ("/jinja2/", "/markupsafe/", "/babel/", "/flask_babel/", "/templates/", "/meetup/web/i18n.py",
                   "/meetup/catalog/talkdate.py", "/meetup/web/fragments.py")),
)


def category_of(path: str | None, inherited: str) -> str:
    """Return the category a frame in this file puts its time in, or the caller's."""
    for name, markers in CATEGORIES:
        if path and any(marker in path for marker in markers):
            return name
    return inherited


def split(frame, inherited: str = "framework", totals: dict[str, float] | None = None) -> dict[str, float]:
    """Add each frame's own time to its category, walking the call tree from the root."""
    totals = totals if totals is not None else {"engine": 0.0, "data": 0.0, "rendering": 0.0, "framework": 0.0}
    category = category_of(frame.file_path, inherited)
    totals[category] += frame.time - sum(child.time for child in frame.children)
    for child in frame.children:
        split(child, category, totals)
    return totals


def profile_requests(app, texts: list[str], output: Path, headers: dict, forget_caches) -> dict[str, float] | None:
    """Profile one cold fragment request per text; write the profile and return each category's share."""
    try:
        from pyinstrument import Profiler
    except ImportError:
        return None
    client = app.test_client()
    forget_caches(app)
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for text in texts:
        client.get("/?" + urlencode({"q": text}), headers=headers)
    session = profiler.stop()
    output.write_text(profiler.output_text(unicode=True, color=False, show_all=False), encoding="utf-8")
    totals = split(session.root_frame(trim_stem=False))
    whole = sum(totals.values()) or 1.0
    return {name: round(100 * seconds / whole, 1) for name, seconds in totals.items()} | {
        "ms_per_request": round(1000 * session.duration / max(1, len(texts)), 2)}

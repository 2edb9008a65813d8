"""What a talk page tells link previews and search engines: OpenGraph locale and schema.org data."""
from __future__ import annotations

from flask import Flask, url_for

from ..catalog.models import Talk
from .i18n import interface_languages


def open_graph_locale(talk: Talk) -> str:
    """Return the talk's language as a locale ("es_ES"): the interface's for it, else the bare code."""
    return interface_languages().get(talk.language, talk.language)


def structured_data(talk: Talk) -> dict:
    """Return the talk as a schema.org Event, saying only what the archive knows."""
    data: dict = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": talk.title,
        "url": url_for("talks.talk", slug=talk.slug, _external=True),
        "inLanguage": talk.language,
    }
    if talk.abstract:
        data["description"] = talk.abstract
    if talk.date.known:
        data["startDate"] = talk.date.iso()
    if talk.appearances:
        data["performer"] = [{"@type": "Person", "name": name} for name in talk.speaker_names]
    if "video" in talk.links:
        data["recordedIn"] = {"@type": "VideoObject", "url": talk.links["video"]}
    return data


def init_app(app: Flask) -> None:
    app.jinja_env.globals["open_graph_locale"] = open_graph_locale
    app.jinja_env.globals["structured_data"] = structured_data

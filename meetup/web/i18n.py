"""The interface's languages: choosing one, names of languages, dates for people.

The interface languages are not the talks' languages (catalog/languages): a Catalan interface
would show English and Spanish talks. Each is a line in INTERFACE_LOCALES and, except the default,
a message catalogue in `translations/<code>/LC_MESSAGES/messages.po`; Babel's locale data gives its
own name, the names of the talks' languages and its dates. Catalogues are compiled to `.mo` in
the instance folder (or TRANSLATIONS_CACHE) when the app starts, and again when a `.po` changes.
"""
from __future__ import annotations

import os
import tempfile
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_interval, format_skeleton
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, Response, current_app, request
from flask_babel import Babel, get_locale, lazy_gettext

from ..catalog.languages import LANGUAGES
from ..catalog.talkdate import TalkDate
from ..settings import settings_of

# Each interface language by its code (the cookie's value, <html lang>) and the Babel locale its
# dates and names are written in ("23 March 2018", not the American "March 23, 2018").
INTERFACE_LOCALES = {"en": "en_GB", "es": "es_ES"}
DEFAULT = "en"  # the language the templates are written in: it needs no catalogue
COOKIE = "ui_lang"
TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"
EVENT_KIND_LABELS = {"meetup": lazy_gettext("Meetup night"), "conference": lazy_gettext("Conference")}
LINK_KIND_LABELS = {"video": lazy_gettext("Video"), "slides": lazy_gettext("Slides"), "event": lazy_gettext("Event page"),
                    "other": lazy_gettext("Link")}


def interface_languages() -> dict[str, str]:
    """Return this app's interface languages: code to Babel locale."""
    return current_app.extensions["meetup_interface_locales"]


def select_locale() -> str:
    """Return the visitor's chosen interface language, else the best match for Accept-Language."""
    supported = interface_languages()
    chosen = request.cookies.get(COOKIE)
    if chosen in supported:
        return chosen
    return request.accept_languages.best_match(supported) or DEFAULT


def ui_language() -> str:
    return str(get_locale() or DEFAULT)


def ui_locale() -> str:
    """Return the Babel locale of the interface language, for dates and names."""
    code = ui_language()
    return interface_languages().get(code, code)


def endonym(code: str) -> str:
    """Return an interface language's name in itself, for the switch ("Español"): never translated."""
    return _name_in_itself(interface_languages().get(code, code))


@lru_cache(maxsize=64)
def _name_in_itself(locale: str) -> str:
    name = Locale.parse(locale).language_name or locale
    return name[:1].upper() + name[1:]


_dates: dict[tuple[str, int | None, int | None, int | None], str] = {}


def human_date(date: TalkDate) -> str:
    """Return a talk's date for people in the interface language: "23 de marzo de 2018", "2019"."""
    locale = ui_locale()
    # Formatting is the slow part of a card and a date reads the same every time: remember each.
    key = (locale, date.year, date.month, date.day)
    text = _dates.get(key)
    if text is None:
        text = _dates[key] = _format_date(date, locale)
    return text


def _format_date(date: TalkDate, locale: str) -> str:
    if not date.known:
        return str(lazy_gettext("Date unknown"))
    if date.month is None:
        return str(date.year)
    if date.day is None:
        return format_skeleton("yMMMM", date.as_month_start(), locale=locale)
    return format_date(date.as_date(), "long", locale=locale)


def human_date_range(starts: TalkDate, ends: TalkDate) -> str:
    """Return an event's dates for people: one day, or a range such as "17–18 May 2024"."""
    first, last = starts.as_date(), ends.as_date()
    if first is None or last is None or last <= first:
        return human_date(starts)
    return format_interval(first, last, "yMMMMd", locale=ui_locale())


def event_kind_label(kind: str) -> str:
    """Return what kind of event this is, in the interface language."""
    return str(EVENT_KIND_LABELS.get(kind, kind))


def link_kind_label(kind: str) -> str:
    """Return what kind of link this is, in the interface language."""
    return str(LINK_KIND_LABELS.get(kind, kind))


_labels: dict[tuple[str, str], str] = {}


def language_label(code: str) -> str:
    """Return a talk language's name in the interface language ("inglés"), from Babel's locale data."""
    locale = ui_locale()
    key = (locale, code)
    label = _labels.get(key)
    if label is None:
        label = _labels[key] = Locale.parse(locale).languages.get(code) or LANGUAGES.get(code, code)
    return label


def language_number(code: str) -> int:
    """Return a talk language's place in the archive's list (from 1; 0 for none), which picks its colour."""
    return list(LANGUAGES).index(code) + 1 if code in LANGUAGES else 0


def compile_catalogues(source: Path, target: Path) -> None:
    """Compile each `.po` catalogue under source to a `.mo` under target when it is missing or older.

    Processes starting together (gunicorn's master, `flask index follow`) may compile the same
    catalogue at once: each writes a temporary file of its own and renames it into place, so
    none finds its file taken away and the last rename leaves the same catalogue.
    """
    for po_path in source.glob("*/LC_MESSAGES/*.po"):
        mo_path = target / po_path.relative_to(source).with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        mo_path.parent.mkdir(parents=True, exist_ok=True)
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        with tempfile.NamedTemporaryFile("wb", dir=mo_path.parent, prefix=f".{mo_path.name}.",
                                         delete=False) as mo_file:
            temporary = Path(mo_file.name)
            try:
                write_mo(mo_file, catalog)
            except BaseException:
                mo_file.close()
                temporary.unlink(missing_ok=True)
                raise
        os.replace(temporary, mo_path)


def _vary_on_language(response: Response) -> Response:
    if response.mimetype == "text/html":
        response.vary.add("Accept-Language")
        response.vary.add("Cookie")
    return response


def init_app(app: Flask) -> None:
    app.extensions["meetup_interface_locales"] = dict(INTERFACE_LOCALES)
    compiled = Path(settings_of(app).translations_cache)
    compile_catalogues(TRANSLATIONS, compiled)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(compiled)
    Babel(app, locale_selector=select_locale)
    app.after_request(_vary_on_language)
    app.jinja_env.globals.update(
        human_date=human_date, human_date_range=human_date_range, language_label=language_label, ui_language=ui_language,
        event_kind_label=event_kind_label, link_kind_label=link_kind_label, language_number=language_number,
        endonym=endonym, interface_languages=interface_languages, talk_languages=list(LANGUAGES),
    )

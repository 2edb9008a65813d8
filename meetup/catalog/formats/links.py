"""Tell what a talk's link is (its video, its slides, its page on the event's site, or other).

The source's own kind wins, then the title the source gave the link ("My previous talk" on
YouTube is not this talk's video), then the host. web.archive.org holds copies of pages, not
recordings, so it is no video host.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from .records import LINK_KINDS

_VIDEO_HOSTS = ("youtube.com", "youtu.be", "youtube-nocookie.com", "vimeo.com", "media.ccc.de", "peertube",
                "twitch.tv", "dailymotion.com")
_SLIDES_HOSTS = ("speakerdeck.com", "slideshare.net", "slides.com", "docs.google.com/presentation")
_SLIDES_WORDS = ("slides", "slide", "diapositivas", "presentation", "presentación", "transparencias", "deck")
_VIDEO_WORDS = ("video", "vídeo", "recording", "grabación", "watch", "youtube", "vimeo", "stream")
_EVENT_WORDS = ("talk page", "event page", "session page", "schedule", "programme", "program", "programa", "agenda")
_KIND_WORDS = {"slides": "slides", "paper": "slides", "media": "video", "video": "video", "recording": "video"}


def link_kind(url: str, title: str = "", kind: str = "") -> str:
    """Return the link's kind (LINK_KINDS) from the kind its source gave, else its title, else its host."""
    kind = (kind or "").strip().lower()
    if kind in LINK_KINDS:
        return kind
    if kind in _KIND_WORDS:
        return _KIND_WORDS[kind]
    title = (title or "").strip().lower()
    if title and title != url.strip().lower():
        if any(word in title for word in _SLIDES_WORDS):
            return "slides"
        if any(word in title for word in _VIDEO_WORDS):
            return "video"
        if any(word in title for word in _EVENT_WORDS):
            return "event"
        return "other"  # a titled link is what its title says, whatever its host
    parts = urlsplit(url)
    where = (parts.netloc + parts.path).lower()
    if any(host in where for host in _SLIDES_HOSTS):
        return "slides"
    if any(host in parts.netloc.lower() for host in _VIDEO_HOSTS):
        return "video"
    return "other"

"""A talk's video: the YouTube id that lets its page offer the privacy-friendly player."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

_VIDEO_ID = re.compile(r"[A-Za-z0-9_-]{11}")
_YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "music.youtube.com",
                  "youtube-nocookie.com", "www.youtube-nocookie.com"}
_ID_IN_PATH = {"embed", "shorts", "live", "v"}


def youtube_id(url: str | None) -> str | None:
    """Return the id of a YouTube video address (watch, youtu.be, embed, shorts, live), else None."""
    try:
        parts = urlsplit((url or "").strip())
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if parts.scheme not in ("http", "https"):
        return None
    segments = [segment for segment in parts.path.split("/") if segment]
    candidate = ""
    if host == "youtu.be" and segments:
        candidate = segments[0]
    elif host in _YOUTUBE_HOSTS:
        if segments == ["watch"]:
            candidate = parse_qs(parts.query).get("v", [""])[0]
        elif len(segments) >= 2 and segments[0] in _ID_IN_PATH:
            candidate = segments[1]
    return candidate if _VIDEO_ID.fullmatch(candidate) else None

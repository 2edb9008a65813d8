"""A talk's video address read as a YouTube id, or not."""
from __future__ import annotations

import pytest

from meetup.web.video import youtube_id


@pytest.mark.parametrize(("url", "expected"), [
    ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "dQw4w9WgXcQ"),
    ("https://youtube.com/watch?v=dQw4w9WgXcQ&t=42s", "dQw4w9WgXcQ"),
    ("https://m.youtube.com/watch?feature=share&v=dQw4w9WgXcQ", "dQw4w9WgXcQ"),
    ("https://youtu.be/dQw4w9WgXcQ?si=abc", "dQw4w9WgXcQ"),
    ("https://www.youtube.com/embed/dQw4w9WgXcQ", "dQw4w9WgXcQ"),
    ("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ", "dQw4w9WgXcQ"),
    ("https://www.youtube.com/shorts/dQw4w9WgXcQ", "dQw4w9WgXcQ"),
    ("https://www.youtube.com/live/dQw4w9WgXcQ", "dQw4w9WgXcQ"),
    ("  https://www.youtube.com/watch?v=dQw4w9WgXcQ  ", "dQw4w9WgXcQ"),
    ("https://www.youtube.com/playlist?list=PL123", None),
    ("https://www.youtube.com/watch?v=short", None),
    ("https://www.youtube.com/watch?v=dQw4w9WgXcQ%22onload", None),
    ("https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ", None),
    ("https://vimeo.com/123456", None),
    ("javascript:alert(1)//youtu.be/dQw4w9WgXcQ", None),
    ("https://[::1/watch", None),
    ("", None),
    (None, None),
])
def test_youtube_id(url, expected):
    assert youtube_id(url) == expected

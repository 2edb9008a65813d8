"""Abstracts in HTML or Markdown: the text to search, safe markup to show, and plain text left alone."""
from __future__ import annotations

import pytest

from meetup.catalog.markup import abstract_from, html_to_text, markdown_to_html

PLAIN = ["Plain text.", "Two\n\nparagraphs here.", "Line one\nline two", "  spaced   words  \n\n\n third",
         "email me at a@b.c", "url https://x.org/a?b=c", "100% sure (really)!", "Café, ¿qué tal?", "para\n   \npara2",
         "Price: 5 + 3 = 8", "Word 2. Word", "tab\tinside", "Trailing two  \nspaces"]


@pytest.mark.parametrize("source", PLAIN)
def test_plain_markdown_keeps_the_text_rendering_would_give_and_no_markup(source):
    assert abstract_from(source, "markdown") == (html_to_text(markdown_to_html(source.strip())), None)


@pytest.mark.parametrize(("source", "syntax", "text", "html"), [
    ("A **bold** claim", "markdown", "A bold claim", "<p>A <strong>bold</strong> claim</p>"),
    ("- one\n- two", "markdown", "- one\n- two", "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"),
    ("[site](javascript:alert(1))", "markdown", "[site](javascript:alert(1))", None),
    ("<p>Hi <script>x()</script><b>there</b></p>", "html", "Hi there", "<p>Hi <b>there</b></p>"),
    ("<p>One</p><p>Two</p>", "markdown", "One\n\nTwo", None),
    ("x &amp; y", "markdown", "x & y", None),
])
def test_markup_becomes_text_and_sanitised_html(source, syntax, text, html):
    assert abstract_from(source, syntax) == (text, html)

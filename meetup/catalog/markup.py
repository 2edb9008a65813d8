"""Abstracts written in HTML or Markdown: sanitised markup to show, and the plain text to search and quote.

Conference tools write descriptions as HTML (pentabarf, wafer) or Markdown (pretalx, frab). The
archive keeps both forms of such an abstract: the text, paragraphs separated by a blank line (what
search, snippets, feeds and meta descriptions read), and sanitised HTML for the talk's page.
Sanitising is nh3's (Rust's ammonia) with a short list of tags; Markdown is markdown-it-py's
CommonMark with raw HTML turned off, so Markdown cannot smuggle tags past the sanitiser either.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

import nh3
from markdown_it import MarkdownIt

SYNTAXES = ("text", "markdown", "html")
ALLOWED_TAGS = {
    "p", "br", "a", "ul", "ol", "li", "em", "strong", "b", "i", "code", "pre", "blockquote",
    "h1", "h2", "h3", "h4", "h5", "h6",
}
_BLOCKS = {"p", "ul", "ol", "pre", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "div", "table", "tr"}
_MARKUP = re.compile(r"<(p|br|a|ul|ol|li|em|strong|b|i|code|pre|div|span|h[1-6])\b[^>]*>|</[a-z][a-z0-9]*>", re.IGNORECASE)
# What makes Markdown render to more than plain paragraphs: emphasis, code, links, headings, HTML,
# entities, escapes, lists, quotes, rules and indented code. Text without any is read as is.
_MARKDOWN_SIGNS = re.compile(r"[*_`\[\]<>#|~\\&]|^\s*(?:[-+=>]|\d+[.)])|^(?: {4}|\t)|^\s*$(?!\n)", re.MULTILINE)
_ONLY_PARAGRAPHS = re.compile(r"(?:<p>[^<]*</p>\s*)+")
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def sanitize_html(html: str) -> str:
    """Return the HTML with only safe tags and http(s)/mailto links left, links marked nofollow."""
    cleaned = nh3.clean(
        html, tags=ALLOWED_TAGS, attributes={"a": {"href", "title"}}, url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer", strip_comments=True,
    )
    return cleaned.strip()


def markdown_to_html(text: str) -> str:
    """Render Markdown (CommonMark, raw HTML off) to sanitised HTML."""
    return sanitize_html(_markdown.render(text))


def html_to_text(html: str) -> str:
    """Return the text of (sanitised) HTML: paragraphs and list items on lines of their own."""
    reader = _TextReader()
    reader.feed(html)
    reader.close()
    paragraphs = ("".join(part).strip() for part in reader.paragraphs)
    lines = ("\n".join(" ".join(line.split()) for line in paragraph.split("\n") if line.strip()) for paragraph in paragraphs)
    return "\n\n".join(line for line in lines if line)


def looks_like_html(text: str) -> bool:
    """Tell text written as HTML (paragraph, line-break, link or emphasis tags) from plain text."""
    return bool(_MARKUP.search(text))


def abstract_from(source: str, syntax: str) -> tuple[str, str | None]:
    """Return the plain text and, when the source used markup, the sanitised HTML of an abstract.

    syntax is "html", "markdown" or "text". HTML is recognised by its tags even when the source
    said Markdown (pretalx passes HTML through); Markdown that renders to nothing but plain
    paragraphs keeps no HTML, so most abstracts stay text alone.
    """
    source = source.replace("\r\n", "\n").strip()
    if not source or syntax == "text":
        return source, None
    if syntax == "markdown" and not _MARKDOWN_SIGNS.search(source):
        return _plain_text(source), None  # nothing Markdown would render: skip rendering it twice
    if syntax == "html" or looks_like_html(source):
        html = sanitize_html(source.replace("\n\n", "<br><br>") if not looks_like_html(source) else source)
    else:
        html = markdown_to_html(source)
    text = html_to_text(html)
    if _ONLY_PARAGRAPHS.fullmatch(html):
        return text, None
    return text, html


def text_to_html(text: str) -> str:
    """Return plain text's paragraphs as HTML, every character taken literally."""
    return markdown_to_html(_escape_markdown(text)) if text else ""


def _plain_text(source: str) -> str:
    """Return plain text as Markdown would give it: paragraphs at blank lines, spaces collapsed per line."""
    paragraphs = re.split(r"\n\s*\n", source)
    lines = ("\n".join(" ".join(line.split()) for line in paragraph.split("\n") if line.strip()) for paragraph in paragraphs)
    return "\n\n".join(line for line in lines if line)


def _escape_markdown(text: str) -> str:
    return re.sub(r"([\\`*_{}\[\]()#+\-.!<>|~])", r"\\\1", text)


class _TextReader(HTMLParser):
    """Collect an HTML fragment's text as paragraphs: blocks start new ones, br and li new lines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[list[str]] = [[]]

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _BLOCKS:
            self.paragraphs.append([])
        elif tag == "br":
            self.paragraphs[-1].append("\n")
        elif tag == "li":
            self.paragraphs[-1].append("\n- ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS:
            self.paragraphs.append([])

    def handle_data(self, data: str) -> None:
        self.paragraphs[-1].append(data)

"""Parse XML into a small element tree that remembers each element's line, with defusedxml.

defusedxml's SAX parser refuses entity declarations and external references, so a schedule file
cannot expand entities ("billion laughs") or make the parser read local files or URLs (XXE).
SAX is used rather than ElementTree because its locator gives each element's line number.
Elements are counted as they are read: a file small on disk cannot expand into millions of them.
"""
from __future__ import annotations

import xml.sax
from dataclasses import dataclass, field

from defusedxml import DefusedXmlException
from defusedxml.sax import parseString

from .records import refuse

MAX_XML_DEPTH = 20
# A 1,000-talk schedule holds about 30,000 elements; each costs a few hundred bytes in memory.
MAX_XML_ELEMENTS = 1_000_000


@dataclass(slots=True)
class Element:
    """An XML element: its tag, attributes, text, children and the line it starts on."""

    tag: str
    attrib: dict[str, str]
    line: int
    children: list[Element] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def find(self, tag: str) -> Element | None:
        return next((child for child in self.children if child.tag == tag), None)

    def findall(self, tag: str) -> list[Element]:
        return [child for child in self.children if child.tag == tag]


class _TreeBuilder(xml.sax.handler.ContentHandler):
    def __init__(self, name: str):
        super().__init__()
        self.name = name
        self.stack: list[Element] = []
        self.root: Element | None = None
        self.locator = None
        self.count = 0

    def setDocumentLocator(self, locator) -> None:
        self.locator = locator

    def startElement(self, tag, attrs) -> None:
        line = self.locator.getLineNumber() if self.locator else 0
        if len(self.stack) >= MAX_XML_DEPTH:
            raise refuse(self.name, f"XML nested more than {MAX_XML_DEPTH} levels deep; a schedule needs far fewer", line)
        self.count += 1
        if self.count > MAX_XML_ELEMENTS:
            raise refuse(self.name, f"the XML holds more than {MAX_XML_ELEMENTS:,} elements; a schedule needs far fewer", line)
        element = Element(tag, dict(attrs), line)
        if self.stack:
            self.stack[-1].children.append(element)
        else:
            self.root = element
        self.stack.append(element)

    def endElement(self, tag) -> None:
        self.stack.pop()

    def characters(self, content) -> None:
        if self.stack:
            self.stack[-1].parts.append(content)


def parse_xml(data: bytes, name: str) -> Element:
    """Return the root element of an XML document; raise TalkFileError when it is malformed or unsafe."""
    builder = _TreeBuilder(name)
    try:
        parseString(data, builder)
    except xml.sax.SAXParseException as error:
        raise refuse(name, f"malformed XML: {error.getMessage()} (column {error.getColumnNumber() + 1})", error.getLineNumber()) from None
    except DefusedXmlException as error:
        raise refuse(name, f"the XML declares entities or external references ({type(error).__name__}); "
                     "schedule files need none, and they are refused to guard against entity expansion and XXE") from None
    if builder.root is None:
        raise refuse(name, "the file is empty: it holds no talks")
    return builder.root

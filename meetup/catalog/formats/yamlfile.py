"""Read the archive's YAML talk list with libyaml's parser, one event at a time, within bounds.

PyYAML's composer builds the whole node graph and expands aliases before anything can be checked;
reading parser events instead lets a file be refused at the first alias, anchor, tag or excessive
nesting (none of which a talk list needs) and keeps each field's line for the problems reported.
"""
from __future__ import annotations

import yaml

from .records import MAX_TALKS, Problem, RawRecord, refuse

# A talk list nests at most five levels: file > list > talk > speakers > speaker.
MAX_DEPTH = 6
SECTIONS = ("events", "talks")
_NULLS = {"", "~", "null", "Null", "NULL"}
_PLAIN_TAGS = {None, "!", "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"}
_NULL_TAG = "tag:yaml.org,2002:null"
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml_file(data: bytes, name: str) -> tuple[list[RawRecord], list[RawRecord], bool]:
    """Return the raw events and talks of a YAML talk file, and whether it was written in sections.

    A file is a list of talks, or (as the export writes it) the sections `events:` and `talks:`.
    """
    reader = _EventReader(_Loader(data), name)
    try:
        return reader.records()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        reason = " ".join(part for part in (error.context, error.problem) if part)
        raise refuse(name, f"malformed YAML: {reason}", mark.line + 1 if mark else None) from None
    except yaml.YAMLError as error:
        raise refuse(name, f"malformed YAML: {error}") from None
    finally:
        reader.loader.dispose()


class _EventReader:
    """Turn parser events into raw records, refusing what a talk list never needs."""

    def __init__(self, loader, name: str):
        self.loader = loader
        self.name = name

    def records(self) -> tuple[list[RawRecord], list[RawRecord], bool]:
        loader = self.loader
        loader.get_event()  # stream start
        if loader.check_event(yaml.StreamEndEvent):
            raise refuse(self.name, "the file is empty: it holds no talks")
        loader.get_event()  # document start
        root = self._next()
        events: list[RawRecord] = []
        talks: list[RawRecord] = []
        if isinstance(root, yaml.MappingStartEvent):
            # The export's form: `events:` (a list of events) and `talks:` (the list of talks).
            seen: set[str] = set()
            while not loader.check_event(yaml.MappingEndEvent):
                key = self._next()
                if not isinstance(key, yaml.ScalarEvent) or key.value not in SECTIONS or key.value in seen:
                    raise refuse(self.name, "expected a list of talks, or the sections `events:` and `talks:` once each",
                                 _line(key))
                seen.add(key.value)
                self._list(events if key.value == "events" else talks, key.value)
            loader.get_event()  # mapping end
        elif isinstance(root, yaml.SequenceStartEvent):
            self._list(talks, "talks", started=True)
        elif isinstance(root, yaml.ScalarEvent) and self._is_null(root):
            raise refuse(self.name, "the file is empty: it holds no talks")
        else:
            raise refuse(self.name, "expected a list of talks (lines starting with '- ')", _line(root))
        loader.get_event()  # document end
        if not loader.check_event(yaml.StreamEndEvent):
            raise refuse(self.name, "the file holds more than one YAML document ('---'): put every talk in one list", self._peek_line())
        return events, talks, isinstance(root, yaml.MappingStartEvent)

    def _list(self, raws: list[RawRecord], what: str, started: bool = False) -> None:
        """Read a list of records (talks or events) into raws."""
        if not started:
            start = self._next()
            if isinstance(start, yaml.ScalarEvent) and self._is_null(start):
                return
            if not isinstance(start, yaml.SequenceStartEvent):
                raise refuse(self.name, f"expected a list of {what} (lines starting with '- ')", _line(start))
        while not self.loader.check_event(yaml.SequenceEndEvent):
            if len(raws) == MAX_TALKS:
                raise refuse(self.name, f"the file holds more than {MAX_TALKS:,} {what}; split it into several files", self._peek_line())
            raws.append(self._record())
        self.loader.get_event()  # sequence end

    def _record(self) -> RawRecord:
        start = self._next()
        raw = RawRecord(line=_line(start))
        if not isinstance(start, yaml.MappingStartEvent):
            self._skip(start, depth=2)
            raw.problems.append(Problem(raw.line, "each talk must be a mapping of fields (title: ..., date: ...)", "?", "record"))
            return raw
        while not self.loader.check_event(yaml.MappingEndEvent):
            key_event = self._next()
            line = _line(key_event)
            if not isinstance(key_event, yaml.ScalarEvent):
                self._skip(key_event, depth=3)
                self._value(depth=3)
                raw.problems.append(Problem(line, "field names must be plain words such as title or date", None, "record"))
                continue
            key = key_event.value
            value = self._value(depth=3)
            if key in raw.values:
                raw.problems.append(Problem(line, f"given twice (first at line {raw.lines[key]})", None, key))
                continue
            raw.lines[key] = line
            raw.values[key] = value
        self.loader.get_event()
        return raw

    def _value(self, depth: int) -> object:
        """Read one value: text as written (dates and numbers are checked later), a list or a mapping."""
        event = self._next()
        if isinstance(event, yaml.ScalarEvent):
            return None if self._is_null(event) else event.value
        if depth > MAX_DEPTH:
            raise refuse(self.name, f"nested more than {MAX_DEPTH} levels deep; a talk list needs at most 4", _line(event))
        if isinstance(event, yaml.SequenceStartEvent):
            items = []
            while not self.loader.check_event(yaml.SequenceEndEvent):
                items.append(self._value(depth + 1))
            self.loader.get_event()
            return items
        mapping: dict[str, object] = {}
        while not self.loader.check_event(yaml.MappingEndEvent):
            key = self._value(depth + 1)
            value = self._value(depth + 1)
            if not isinstance(key, str):
                raise refuse(self.name, "keys must be plain words such as name or video", _line(event))
            mapping.setdefault(key, value)
        self.loader.get_event()
        return mapping

    def _skip(self, event, depth: int) -> None:
        """Consume the rest of a node whose start event was already read."""
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            if depth > MAX_DEPTH:
                raise refuse(self.name, f"nested more than {MAX_DEPTH} levels deep; a talk list needs at most 4", _line(event))
            end = yaml.SequenceEndEvent if isinstance(event, yaml.SequenceStartEvent) else yaml.MappingEndEvent
            while not self.loader.check_event(end):
                self._skip(self._next(), depth + 1)
            self.loader.get_event()

    def _next(self):
        """Return the next event, refusing aliases, anchors and tags at once."""
        event = self.loader.get_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise refuse(self.name, "YAML anchors and aliases (&name, *name) are not accepted in talk files; write each value out", _line(event))
        tag = getattr(event, "tag", None)
        if tag not in _PLAIN_TAGS and tag != _NULL_TAG:
            raise refuse(self.name, f"YAML tags such as {tag} are not accepted in talk files; write plain text", _line(event))
        if isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent, yaml.DocumentEndEvent, yaml.StreamEndEvent)):
            raise refuse(self.name, "malformed YAML: a value is missing", _line(event))
        return event

    def _peek_line(self) -> int:
        return _line(self.loader.peek_event())

    @staticmethod
    def _is_null(event) -> bool:
        return event.tag == _NULL_TAG or (event.tag is None and event.implicit[0] and event.value in _NULLS)


def _line(event) -> int:
    return event.start_mark.line + 1

"""Parse JSON within bounds: objects and numbers counted as they are read, duplicate keys refused.

json.loads would build every object of a file before anything could be checked: a file of 50 MB
holding millions of empty objects takes gigabytes. The hooks below count each object and number
as the parser makes it and stop at the bound; a key given twice in one object is refused rather
than the last value silently kept; a number of thousands of digits is refused in one line.
"""
from __future__ import annotations

import json

from .records import refuse

# A 1,000-talk schedule holds about 8,000 objects; a PyVideo folder of 5,000 talks about 20,000.
MAX_JSON_ITEMS = 1_000_000
MAX_NUMBER_DIGITS = 30


class _Refused(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class JsonBudget:
    """Objects and numbers read so far, shared by the files of one import."""

    def __init__(self, limit: int | None = None):
        self.limit = MAX_JSON_ITEMS if limit is None else limit
        self.count = 0

    def _spend(self) -> None:
        self.count += 1
        if self.count > self.limit:
            raise _Refused(f"the JSON holds more than {self.limit:,} objects and numbers; a talk file needs far fewer")

    def _object(self, pairs: list[tuple[str, object]]) -> dict:
        self._spend()
        result = dict(pairs)
        if len(result) != len(pairs):
            seen: set[str] = set()
            twice = next(key for key, _ in pairs if key in seen or seen.add(key))
            raise _Refused(f"the key {twice[:60]!r} is given twice in one object; which one is meant?")
        return result

    def _number(self, text: str, kind=int):
        self._spend()
        if len(text) > MAX_NUMBER_DIGITS:
            raise _Refused(f"a number of {len(text):,} characters; numbers in a talk file have at most {MAX_NUMBER_DIGITS}")
        return kind(text)

    def loads(self, text: str, name: str) -> object:
        """Return the parsed document; raise TalkFileError in one line for malformed or unbounded JSON."""
        try:
            return json.loads(text, object_pairs_hook=self._object, parse_int=self._number,
                              parse_float=lambda value: self._number(value, float),
                              parse_constant=lambda value: self._refuse_constant(value))
        except _Refused as error:
            raise refuse(name, error.reason) from None
        except json.JSONDecodeError as error:
            raise refuse(name, f"malformed JSON: {error.msg} (column {error.colno})", error.lineno) from None
        except RecursionError:
            raise refuse(name, "JSON nested too deeply; a talk file needs a few levels") from None

    @staticmethod
    def _refuse_constant(value: str):
        raise _Refused(f"{value} is not a JSON number")

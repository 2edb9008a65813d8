"""The files organisers import and export: formats, validation and the records they hold.

Every record is checked before anything is stored; each problem names the file, the line (or the
place, for JSON), the talk, the field and the reason, so an organiser can fix all of them in one pass.
"""
from .export import record_to_mapping, write_talks
from .reading import TalkFile, load_talk_file, parse_talk_bytes, parse_talk_text, read_talk_file
from .records import (
    LIMITS, MAX_FILE_BYTES, MAX_TALKS, EventRecord, Link, Problem, SpeakerCredit, TalkFileError, TalkRecord,
    format_speaker, parse_speaker,
)

__all__ = [
    "LIMITS", "MAX_FILE_BYTES", "MAX_TALKS", "EventRecord", "Link", "Problem", "SpeakerCredit", "TalkFile",
    "TalkFileError", "TalkRecord", "format_speaker", "load_talk_file", "parse_speaker",
    "parse_talk_bytes", "parse_talk_text", "read_talk_file", "record_to_mapping", "write_talks",
]

"""Full-text search over the talk archive: the one part of the site that knows Whoosh.

The rest of the app uses only the names below: a `TalkIndex` to build, update, search and check,
and the site's one question, `TalkIndex.results(Search)`, answered by a `ResultPage` (slugs in
rank order, totals, counts, highlight segments, and the correction and alternatives that explain them).
Inside: analysis (words, folding, stems, prefixes), schema (the Whoosh fields), query (visitor
text to words and phrases), reader, columns and postings (document masks, date order, field
lengths), find and rank (matching and ordering), proximity, spelling (corrections and
suggestions, with lexicon: real words are not typos), highlight (segments), synonyms and
synonyms_file, abbreviations, functionwords, vocabulary (stems), related, results, build and
bulkwrite (documents, postings pooled by term, parallel rebuilds), updating (an import's
changes), workers (build processes end with their parent), generations (the index directory),
verify (whether the live generation can be read), and whoosh_adapter (every use of Whoosh's
internals, each with its measured reason).
"""

from .abbreviations import ABBREVIATIONS_FILE, AbbreviationsError, load_abbreviations
from .build import IndexedTalk
from .generations import IndexBusy, IndexMissing
from .highlight import Segment
from .index import TalkIndex
from .query import MAX_QUERY_CHARS
from .results import MAX_PER_PAGE, Hit, ResultPage, Search, SearchPage, query_words
from .synonyms_file import CROSSLANG_FILE, SYNONYMS_FILE, SynonymsError, load_crosslang_pairs, load_synonym_groups

__all__ = [
    "ABBREVIATIONS_FILE",
    "AbbreviationsError",
    "CROSSLANG_FILE",
    "MAX_PER_PAGE",
    "MAX_QUERY_CHARS",
    "SYNONYMS_FILE",
    "Hit",
    "IndexBusy",
    "IndexMissing",
    "IndexedTalk",
    "ResultPage",
    "Search",
    "SearchPage",
    "Segment",
    "SynonymsError",
    "TalkIndex",
    "load_abbreviations",
    "load_crosslang_pairs",
    "load_synonym_groups",
    "query_words",
]

"""Full-text search over the talk archive: the one part of the site that knows Whoosh.

The rest of the app uses only the names below: a `TalkIndex` to build, update and search, and
the site's one question, `TalkIndex.results(Search)`, answered by a `ResultPage` (slugs in rank
order, totals, counts, highlight segments, and the correction and alternatives that explain them).
Inside: analysis (folding, stemming, schema), query (visitor text to words and phrases),
reader (document masks, date order), rank (ordering matches), spelling (corrections and
suggestions), highlight (segments), synonyms and synonyms_file (words found for one another),
abbreviations (short forms and what they stand for), lexicon (real words are not typos),
vocabulary (stems), build (documents, parallel rebuilds), workers (build processes end with
their parent), generations (the index directory), verify (is the live generation readable).
"""

from .abbreviations import ABBREVIATIONS_FILE, AbbreviationsError, load_abbreviations
from .build import IndexedTalk
from .generations import IndexBusy, IndexMissing
from .highlight import Segment
from .index import TalkIndex
from .results import MAX_PER_PAGE, Hit, ResultPage, Search, SearchPage, query_words
from .synonyms_file import CROSSLANG_FILE, SYNONYMS_FILE, SynonymsError, load_crosslang_pairs, load_synonym_groups
from .verify import verify_live_generation

__all__ = [
    "ABBREVIATIONS_FILE",
    "AbbreviationsError",
    "CROSSLANG_FILE",
    "MAX_PER_PAGE",
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
    "verify_live_generation",
]

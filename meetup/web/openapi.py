"""The OpenAPI 3.0 description of the JSON API, built from the same limits the API enforces."""
from __future__ import annotations

from ..catalog.languages import LANGUAGES
from ..catalog.models import EVENT_KINDS, LINK_KINDS
from ..catalog.slugs import MAX_SLUG_LENGTH, SLUG_PATTERN
from ..catalog.talkdate import MAX_YEAR, MIN_YEAR


UNAVAILABLE = "The database or search index is unavailable for a moment."


def _nullable(schema: dict) -> dict:
    return {**schema, "nullable": True}


def _json_of(schema_name: str) -> dict:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema_name}"}}}


def _error_response(description: str) -> dict:
    return {
        "description": description,
        "content": _json_of("Error"),
    }


def _schemas() -> dict:
    segments = {
        "type": "array",
        "description": "The text in order, split into pieces that match the search and pieces that do not.",
        "items": {
            "type": "object",
            "required": ["text", "match"],
            "additionalProperties": False,
            "properties": {"text": {"type": "string"}, "match": {"type": "boolean"}},
        },
    }
    partial_date = {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"}
    event_required = ["slug", "name", "url", "kind", "starts", "ends", "place", "website", "talks", "api"]
    event_properties = {
        "slug": {"type": "string", "pattern": SLUG_PATTERN.pattern},
        "name": {"type": "string"},
        "url": {"type": "string", "format": "uri", "description": "The event's page on the site."},
        "kind": {"type": "string", "enum": list(EVENT_KINDS)},
        "starts": _nullable(partial_date),
        "ends": _nullable(partial_date),
        "place": _nullable({"type": "string"}),
        "website": _nullable({"type": "string", "format": "uri"}),
        "talks": {"type": "integer", "minimum": 0, "description": "How many talks the archive holds of it."},
        "api": {"type": "string", "format": "uri", "description": "This event with its talks."},
    }
    return {
        "Speaker": {
            "type": "object",
            "required": ["name", "role", "slug"],
            "additionalProperties": False,
            "properties": {
                "name": {"type": "string"},
                "role": _nullable({"type": "string", "description": "Their role at the time of this talk."}),
                "slug": {"type": "string"},
            },
        },
        "Talk": {
            "type": "object",
            "required": ["slug", "title", "abstract", "language", "date", "date_human", "speakers", "links", "all_links",
                         "event", "url"],
            "additionalProperties": False,
            "properties": {
                "slug": {"type": "string", "pattern": SLUG_PATTERN.pattern},
                "title": {"type": "string"},
                "abstract": {"type": "string", "description": "Plain text; paragraphs are separated by a blank line."},
                "language": {"type": "string", "enum": list(LANGUAGES), "description": "The language the talk was given in."},
                "date": _nullable({
                    "type": "string",
                    "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$",
                    "description": "As precise as it is known: YYYY-MM-DD, YYYY-MM or YYYY; null when unknown.",
                    "example": "2019-11-27",
                }),
                "date_human": {"type": "string", "example": "27 November 2019"},
                "speakers": {"type": "array", "items": {"$ref": "#/components/schemas/Speaker"}},
                "links": {
                    "type": "object",
                    "required": list(LINK_KINDS),
                    "additionalProperties": False,
                    "properties": {kind: _nullable({"type": "string", "format": "uri"}) for kind in LINK_KINDS},
                },
                "all_links": {
                    "type": "array", "description": "Every link of the talk in its source's order, with its title.",
                    "items": {"$ref": "#/components/schemas/Link"},
                },
                "event": _nullable({"allOf": [{"$ref": "#/components/schemas/EventRef"}],
                                    "description": "The meetup night or conference the talk was given at."}),
                "url": {"type": "string", "format": "uri", "description": "The talk's page on the site."},
                "highlight": {
                    "type": "object",
                    "description": "Only in search results: the title and a snippet of the abstract, matches marked.",
                    "required": ["title", "snippet"],
                    "additionalProperties": False,
                    "properties": {"title": segments, "snippet": segments},
                },
            },
        },
        "Link": {
            "type": "object", "required": ["kind", "url", "title"], "additionalProperties": False,
            "properties": {
                "kind": {"type": "string", "enum": list(LINK_KINDS)},
                "url": {"type": "string", "format": "uri"},
                "title": _nullable({"type": "string"}),
            },
        },
        "EventRef": {
            "type": "object", "required": ["slug", "name", "url"], "additionalProperties": False,
            "properties": {
                "slug": {"type": "string", "pattern": SLUG_PATTERN.pattern},
                "name": {"type": "string"},
                "url": {"type": "string", "format": "uri", "description": "The event's page on the site."},
            },
        },
        "Event": {
            "type": "object", "required": event_required, "additionalProperties": False, "properties": event_properties,
        },
        "EventList": {
            "type": "object", "required": ["events"], "additionalProperties": False,
            "properties": {"events": {"type": "array", "items": {"$ref": "#/components/schemas/Event"}}},
        },
        "EventWithTalks": {
            "type": "object", "required": [*event_required, "talk_list"], "additionalProperties": False,
            "properties": {**event_properties,
                           "talk_list": {"type": "array", "items": {"$ref": "#/components/schemas/Talk"},
                                         "description": "Its talks in schedule order."}},
        },
        "TalkList": {
            "type": "object",
            "required": ["talks", "total", "page", "per_page", "next", "suggestion", "corrected_to",
                         "also_matching", "years"],
            "additionalProperties": False,
            "properties": {
                "talks": {"type": "array", "items": {"$ref": "#/components/schemas/Talk"}},
                "total": {"type": "integer", "minimum": 0, "description": "How many talks match, on every page."},
                "page": {"type": "integer", "minimum": 1},
                "per_page": {"type": "integer", "minimum": 1},
                "next": _nullable({"type": "string", "format": "uri", "description": "The next page; null on the last."}),
                "suggestion": _nullable({
                    "type": "string",
                    "description": "When no talk has every word of q: a corrected search that may, offered, not run.",
                }),
                "corrected_to": _nullable({
                    "type": "string",
                    "description": "When q was misspelt: the corrected search these talks were found by "
                                   "(ask again with exact=1 for q as typed).",
                }),
                "also_matching": {
                    "type": "array", "items": {"type": "string"},
                    "description": "Synonyms of q's words (other language, shorthand) that found talks too, "
                                   "ranked below talks with the words themselves.",
                },
                "years": {
                    "type": "array",
                    "description": "Matches per known year, newest first, ignoring the year filter.",
                    "items": {
                        "type": "object", "required": ["year", "count"], "additionalProperties": False,
                        "properties": {"year": {"type": "integer"}, "count": {"type": "integer", "minimum": 1}},
                    },
                },
            },
        },
        "Error": {
            "type": "object",
            "required": ["error"],
            "additionalProperties": False,
            "properties": {"error": {"type": "string"}},
        },
    }


def _one_by_slug(operation: str, summary: str, thing: str, schema: str, example: str) -> dict:
    """Return the path item of one talk or event found by its slug."""
    return {
        "get": {
            "operationId": operation,
            "summary": summary,
            "parameters": [
                {
                    "name": "slug", "in": "path", "required": True,
                    "description": f"The {thing}'s key, as in its page's address.",
                    "schema": {"type": "string", "pattern": SLUG_PATTERN.pattern, "example": example},
                },
            ],
            "responses": {
                "200": {"description": f"The {thing}.", "content": _json_of(schema)},
                "404": _error_response(f"No {thing} has this slug."),
                "503": _error_response(UNAVAILABLE),
            },
        }
    }


def openapi_document(*, max_query: int, max_page: int, max_per_page: int, default_per_page: int) -> dict:
    """Return the OpenAPI document for the API, with the limits it enforces."""
    bad_request = _error_response("A parameter is out of range or malformed; `error` says which.")
    unavailable = _error_response(UNAVAILABLE)
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Meetup talk archive API",
            "version": "1.0.0",
            "description": (
                "Read-only access to every talk the meetup has hosted. Searches take the same `q` and "
                "`lang` as the site's search box and find the same talks. Parameters out of range are "
                "refused with 400 rather than clamped, so a client learns of its mistake. Every "
                "response may be read from any origin."
            ),
        },
        "paths": {
            "/api/talks": {
                "get": {
                    "operationId": "listTalks",
                    "summary": "List talks newest first, or search them",
                    "parameters": [
                        {
                            "name": "q", "in": "query", "required": False,
                            "description": "Search text, as typed in the site's search box; empty lists every talk.",
                            "schema": {"type": "string", "maxLength": max_query, "default": ""},
                        },
                        {
                            "name": "lang", "in": "query", "required": False,
                            "description": "Only talks given in this language; empty for every language.",
                            "schema": {"type": "string", "enum": ["", *LANGUAGES], "default": ""},
                        },
                        {
                            "name": "year", "in": "query", "required": False,
                            "description": "Only talks given in this year (talks of unknown date have none).",
                            "schema": {"type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR},
                        },
                        {
                            "name": "event", "in": "query", "required": False,
                            "description": "Only talks of this event (its slug, as in /api/events); an unknown event holds none.",
                            "schema": {"type": "string", "pattern": f"^$|{SLUG_PATTERN.pattern}", "maxLength": MAX_SLUG_LENGTH,
                                       "default": "", "example": "meetup-2019-11-27"},
                        },
                        {
                            "name": "exact", "in": "query", "required": False,
                            "description": "1 searches q as typed; by default a misspelt q is corrected, as on the site.",
                            "schema": {"type": "string", "enum": ["0", "1"], "default": "0"},
                        },
                        {
                            "name": "page", "in": "query", "required": False,
                            "schema": {"type": "integer", "minimum": 1, "maximum": max_page, "default": 1},
                        },
                        {
                            "name": "per_page", "in": "query", "required": False,
                            "schema": {"type": "integer", "minimum": 1, "maximum": max_per_page,
                                       "default": default_per_page},
                        },
                    ],
                    "responses": {
                        "200": {"description": "One page of talks.", "content": _json_of("TalkList")},
                        "400": bad_request,
                        "503": unavailable,
                    },
                }
            },
            "/api/talks/{slug}": _one_by_slug("getTalk", "Show one talk", "talk", "Talk", "postmortems-at-flywire"),
            "/api/events": {
                "get": {
                    "operationId": "listEvents",
                    "summary": "List the meetup nights and conferences, newest first",
                    "responses": {"200": {"description": "Every event.", "content": _json_of("EventList")},
                                  "503": unavailable},
                }
            },
            "/api/events/{slug}": _one_by_slug("getEvent", "Show one event and its talks", "event", "EventWithTalks",
                                               "meetup-2019-11-27"),
            "/api/openapi.json": {
                "get": {
                    "operationId": "getOpenApi",
                    "summary": "This document",
                    "responses": {"200": {"description": "The OpenAPI document.", "content": {"application/json": {"schema": {"type": "object"}}}}},
                }
            },
        },
        "components": {"schemas": _schemas()},
    }

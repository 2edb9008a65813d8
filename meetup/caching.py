"""Caching for public, read-only responses: the API, feeds, the sitemap and calendar files."""
from __future__ import annotations

from flask import Response, request


def cacheable(response: Response, max_age: int) -> Response:
    """Let clients and shared caches keep the response for max_age seconds, then revalidate by ETag."""
    response.cache_control.public = True
    response.cache_control.max_age = max_age
    response.add_etag()
    return response.make_conditional(request)

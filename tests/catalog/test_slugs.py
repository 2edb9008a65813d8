"""Slugs: what slugify makes of titles and names, and which slugs the pattern accepts."""
import pytest

from meetup.catalog.slugs import MAX_SLUG_LENGTH, SLUG_PATTERN, slugify


@pytest.mark.parametrize(("text", "slug"), [
    ("Tamaño de CI/CD", "tamano-de-ci-cd"),
    ("Observabilidad con OpenTelemetry", "observabilidad-con-opentelemetry"),
    ("O'Reilly’s  talk", "oreillys-talk"),
    ("  --Kubernetes 1.29!--  ", "kubernetes-1-29"),
    ("José Pérez", "jose-perez"),
    ("日本語", ""),
    ("", ""),
])
def test_slugify(text, slug):
    assert slugify(text) == slug


@pytest.mark.parametrize(("text", "max_length", "slug"), [
    ("alpha beta gamma", 12, "alpha-beta"),  # cut at the last whole word that fits
    ("alphabetagamma", 5, "alpha"),  # one long word is cut where it must be
    ("word " * 60, MAX_SLUG_LENGTH, "-".join(["word"] * 20)),
])
def test_slugify_keeps_within_the_length(text, max_length, slug):
    assert slugify(text, max_length) == slug


@pytest.mark.parametrize(("slug", "valid"), [
    ("postmortems-at-flywire", True), ("k8s", True), ("a-1-b", True),
    ("", False), ("-leading", False), ("trailing-", False), ("double--dash", False), ("Upper", False),
    ("ñandu", False), ("with space", False), ("nul\x00", False), ("dot.ted", False),
])
def test_slug_pattern(slug, valid):
    assert bool(SLUG_PATTERN.match(slug)) is valid


@pytest.mark.parametrize("text", ["Tamaño de CI/CD", "¿Qué es eBPF?", "A/B testing at 10×", "x" * 300])
def test_every_slugify_result_is_a_valid_slug(text):
    assert SLUG_PATTERN.match(slugify(text))

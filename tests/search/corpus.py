"""Talks for search tests: a builder with defaults, and a small bilingual corpus."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from meetup.search import IndexedTalk, SearchPage, TalkIndex


def talk(slug: str, title: str, abstract: str = "", speakers: tuple[str, ...] = ("Ana Ruiz",),
         lang: str = "en", date_key: int = 20240101) -> IndexedTalk:
    """Build a talk with defaults for the fields a test does not care about."""
    return IndexedTalk(slug, title, abstract, speakers, lang, date_key)


CORPUS = [
    talk("k8s-cicd", "CI/CD with Kubernetes", "Pipelines that deploy to a cluster.", lang="en", date_key=20230510),
    talk("contenedores", "Contenedores en producción",
         "Cómo llevar contenedores a producción sin miedo. El tamaño de la imagen importa.",
         speakers=("Omar López",), lang="es", date_key=20240301),
    talk("autoescalado", "Autoescalado de servicios", "Escalar por demanda, que es lo que toca.",
         speakers=("Lucía Pérez",), lang="es", date_key=20220000),
    talk("container-basics", "A container from scratch", "Namespaces and cgroups explained.",
         lang="en", date_key=20210900),
    talk("mercadona", "Cloud en MercadonaTech", "Plataforma interna y K8Spin para equipos.",
         lang="es", date_key=0),
    talk("graphql-k8s", "GraphQL gateways", "Running GraphQL on Kubernetes with autoscaling.",
         lang="en", date_key=20240901),
    talk("terraform", "Terraform modules", "Reusable infrastructure code.", lang="en", date_key=20200101),
]


def slugs(page: SearchPage) -> list[str]:
    """Return the slugs of a page in rank order."""
    return [hit.slug for hit in page.hits]


def built_index(folder: Path, talks: list[IndexedTalk], **options) -> Iterator[TalkIndex]:
    """Yield an index of these talks built in folder (options as TalkIndex takes them), closed afterwards."""
    built = TalkIndex(folder, **options)
    built.rebuild(talks)
    yield built
    built.close()

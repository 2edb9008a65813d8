"""The visitor queries the benchmark replays: typing sessions and a set of settled 1-3 word searches."""
from __future__ import annotations

# Three-word searches typed one character at a time: every prefix is one request.
TYPING_SESSIONS = [
    "kubernetes en producción",
    "contenedores en produccion",
    "observabilidad de sistemas",
    "chaos engineering failures",
    "migración base datos",
    "terraform cloud costs",
    "incident postmortem lessons",
    "autoescalado de servicios",
    "service mesh istio",
    "lopez kubernetes clusters",
    "monitoring latency dashboards",
    "seguridad de secretos",
]

# Settled searches: common and rare words, stems, accents, speakers, prefixes, typos, stop words.
QUERY_SET = [
    "kubernetes", "kube", "ku", "contenedor", "containers", "producción", "produccion", "tamano",
    "TAMAÑO", "autoescalar", "observability", "lopez", "González", "que", "por", "the", "kubernets",
    "obserbability", "sakuka", "mentopsda", "kafka streaming", "gitops argo", "error budget",
    "on-call runbook", "base de datos", "service mesh", "chaos engineering", "incident postmortem",
    "contenedores en producción", "kubernetes at flywire", "lessons learned migrating",
    "cómo migramos terraform", "the kubernetes handbook", "escalando microservicios con kafka",
    '"error budget"', "rust ebpf", "cost finops cloud", "ci/cd", "postgres", "resiliencia fallo",
]


def typing_requests() -> list[str]:
    """Return every text a visitor's box holds while typing the sessions, in order."""
    texts = []
    for session in TYPING_SESSIONS:
        texts.extend(session[:length] for length in range(1, len(session) + 1))
    return texts


def all_requests() -> list[tuple[str, str]]:
    """Return (kind, text) for the typing keystrokes then the settled queries."""
    return [("typing", text) for text in typing_requests()] + [("query", text) for text in QUERY_SET]

"""A deterministic, realistic bilingual (English/Spanish) DevOps/SRE talk corpus in the import format."""
from __future__ import annotations

import bisect
import itertools
import random
from pathlib import Path

import yaml

# Bump when the generator changes, so cached databases built from an older corpus are not reused.
CORPUS_VERSION = 1
TALKS_PER_FILE = 3_000  # talks per import file, as organisers might split a large archive
FIRST_YEAR = 2016

ENGLISH_COMMON = """
the of and to a in is for on with that we how it this you our are from as by be at an or can your
will about what use using when why more into have but not all one new which their they these also
kubernetes cluster clusters container containers deploy deployment deployments pipeline pipelines
service services monitoring observability logging metrics tracing alerting incident incidents
postmortem postmortems reliability availability latency scaling autoscaling production platform
team teams infrastructure code cloud migration migrating database databases storage network
networking security secrets terraform ansible docker helm operator operators serverless lambda
testing tests chaos engineering resilience failure failures recovery backup backups release
releases continuous delivery integration developer developers experience journey lessons learned
story practice practices culture on-call runbook runbooks dashboard dashboards budget error
errors capacity planning load balancing traffic mesh istio envoy gateway api apis edge cache
caching queue queues kafka streaming events event driven architecture microservices monolith
legacy modernisation cost costs finops automation automate automated workflow workflows git
gitops argo flux registry image images build builds compiler rust python golang java linux
kernel ebpf performance profiling memory cpu disk throughput benchmark benchmarks open source
community contributing scale scalable distributed systems consensus raft etcd state stateful
""".split()

SPANISH_COMMON = """
de la que el en y a los del se las por un para con no una su al lo como más pero sus le ya o
este sí porque esta entre cuando muy sin sobre también me hasta hay donde quien desde todo nos
durante todos uno les ni contra otros ese eso ante ellos e esto mí antes algunos qué unos yo otro
otras otra él tanto esa estos mucho quienes nada muchos cual poco ella estar estas algunas algo
nosotros contenedor contenedores despliegue despliegues producción clúster clústeres servicio
servicios monitorización observabilidad registros métricas trazas alertas incidente incidentes
fiabilidad disponibilidad latencia escalado autoescalado plataforma equipo equipos
infraestructura código nube migración base datos almacenamiento red redes seguridad secretos
pruebas ingeniería caos resiliencia fallo fallos recuperación copias seguridad lanzamiento
entrega continua integración desarrolladores experiencia viaje lecciones aprendidas historia
práctica prácticas cultura guardia tablero presupuesto error errores capacidad planificación
carga balanceo tráfico malla pasarela caché colas eventos arquitectura microservicios monolito
heredado modernización costes automatización automatizar flujo imagen imágenes compilación
rendimiento perfilado memoria disco benchmark código abierto comunidad escala escalable
sistemas distribuidos consenso estado tamaño diseño gestión aplicación aplicaciones máquina
máquinas virtuales automático autoescalar años también cómo qué está están según además
""".split()

TITLE_TEMPLATES_EN = [
    "{a} {b} at {company}", "Lessons from {a} {b}", "{a} in production: {b} {c}",
    "How we {verb} {a} {b}", "{a} {b} for {c} teams", "From {a} to {b}: a {c} story",
    "Scaling {a} {b} with {c}", "The {a} {b} handbook",
]
TITLE_TEMPLATES_ES = [
    "{a} {b} en {company}", "Lecciones de {a} {b}", "{a} en producción: {b} {c}",
    "Cómo {verb_es} {a} {b}", "{a} y {b} para equipos de {c}", "De {a} a {b}: una historia de {c}",
    "Escalando {a} {b} con {c}", "Guía de {a} {b}",
]
VERBS_EN = ["migrated", "scaled", "monitor", "secured", "rebuilt", "automated", "debugged", "tamed"]
VERBS_ES = ["migramos", "escalamos", "monitorizamos", "aseguramos", "automatizamos", "depuramos"]
FIRST_NAMES = """Ana Omar Lucía Pedro Imanol Xabier Andoni María José Carmen Javier Laura David Sara
Pablo Elena Daniel Marta Sergio Nuria Iñaki Begoña Álvaro Ángela Raúl Sofía Jesús Irene Hugo Núria
Alice Bob Priya Wei Fatima John Emma Liam Olivia Noah Chen Yuki Kofi Ingrid Søren Zoë""".split()
LAST_NAMES = """López Alonso González Díaz Larrakoetxea Pérez García Martínez Sánchez Romero
Fernández Ruiz Jiménez Muñoz Navarro Domínguez Gil Vázquez Ramos Castaño Ibáñez Peña Smith Jones
Brown Taylor Wilson Kumar Zhang Tanaka Mensah Hansen Müller Dubois Rossi Novak""".split()
COMPANIES = """Flywire Tuenti MercadonaTech Cabify Idealista Glovo Wallapop Typeform BBVA Jobandtalent
Acme Initech Globex Hooli Stark Wayne Umbrella Cyberdyne""".split()
ROLES = ["SRE", "Tech Lead", "Platform Engineer", "SRE Lead", "CTO", None, None]
SYLLABLES = """ka ku be ne te ro sa li mo da pe ti la re no mi so tu va ze ga po fi lu dor sen tar
mar quel ción dad ment ing er ops ix on ar ex io ia""".split()


def _zipf_sampler(words: list[str], rng: random.Random, exponent: float = 1.0):
    """Return a function drawing words with Zipf-distributed frequencies (rank r with weight 1/r^s)."""
    # The lists start with function words, so list order is frequency order.
    shuffled = list(dict.fromkeys(words))
    cumulative = list(itertools.accumulate(1.0 / (rank ** exponent) for rank in range(1, len(shuffled) + 1)))
    total = cumulative[-1]

    def draw() -> str:
        return shuffled[bisect.bisect_left(cumulative, rng.random() * total)]

    return draw


def _rare_words(rng: random.Random, count: int) -> list[str]:
    """Make a long tail of distinct invented words (product names, jargon, typos)."""
    words: set[str] = set()
    while len(words) < count:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


class CorpusGenerator:
    """Generate talk records deterministically from a seed."""

    def __init__(self, size: int, seed: int = 2016) -> None:
        self.size = size
        self.rng = random.Random(seed)
        rng = self.rng
        # The long tail grows with the archive, as real vocabularies do.
        self.rare = _rare_words(rng, max(2_000, size // 2))
        self.draw = {"en": _zipf_sampler(ENGLISH_COMMON, rng), "es": _zipf_sampler(SPANISH_COMMON, rng)}
        self.topics = {"en": [w for w in ENGLISH_COMMON if len(w) > 4], "es": [w for w in SPANISH_COMMON if len(w) > 4]}
        self.speakers = [
            f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}" for _ in range(max(200, size // 8))
        ]
        self.speaker_draw = _zipf_sampler(self.speakers, rng, exponent=0.8)

    def _word(self, lang: str) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.06:
            return rng.choice(self.rare)
        if roll < 0.12:
            # Talks mix languages: Spanish abstracts borrow English terms and the other way round.
            return self.draw["es" if lang == "en" else "en"]()
        return self.draw[lang]()

    def _abstract(self, lang: str) -> str:
        rng = self.rng
        words = [self._word(lang) for _ in range(rng.randint(60, 200))]
        sentences, start = [], 0
        while start < len(words):
            end = min(len(words), start + rng.randint(8, 22))
            sentence = " ".join(words[start:end])
            sentences.append(sentence[0].upper() + sentence[1:] + rng.choice([".", ".", ".", "?", "!"]))
            start = end
        paragraphs, start = [], 0
        while start < len(sentences):
            end = start + rng.randint(2, 5)
            paragraphs.append(" ".join(sentences[start:end]))
            start = end
        return "\n\n".join(paragraphs)

    def _title(self, lang: str) -> str:
        rng = self.rng
        topics = self.topics[lang]
        template = rng.choice(TITLE_TEMPLATES_EN if lang == "en" else TITLE_TEMPLATES_ES)
        title = template.format(
            a=rng.choice(topics).capitalize(), b=rng.choice(topics), c=rng.choice(topics),
            company=rng.choice(COMPANIES), verb=rng.choice(VERBS_EN), verb_es=rng.choice(VERBS_ES),
        )
        words = title.split()
        while len(words) < 4:
            words.append(rng.choice(topics))
        if rng.random() < 0.3 and len(words) < 10:
            words.insert(rng.randrange(1, len(words) + 1), rng.choice(self.rare))
        return " ".join(words[:10])

    def _date(self) -> str:
        rng = self.rng
        year = FIRST_YEAR + rng.randrange(10)
        roll = rng.random()
        if roll < 0.02:
            return None
        if roll < 0.05:
            return f"{year}"
        return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"

    def records(self):
        """Yield every talk as a mapping in the import file format."""
        rng = self.rng
        for number in range(self.size):
            lang = "es" if rng.random() < 0.45 else "en"
            speakers = []
            for _ in range(rng.choice([1, 1, 1, 2, 2, 3])):
                name = self.speaker_draw()
                role = rng.choice(ROLES)
                entry = f"{name} ({role})" if role else name
                if all(not s.startswith(name) for s in speakers):
                    speakers.append(entry)
            yield {
                "slug": f"talk-{number:06d}",
                "title": self._title(lang),
                "date": self._date(),
                "language": lang,
                "speakers": speakers,
                "abstract": self._abstract(lang),
            }


def write_corpus(size: int, directory: Path) -> list[Path]:
    """Write a corpus of size talks as YAML import files in directory and return their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    records = CorpusGenerator(size).records()
    paths = []
    for number in itertools.count():
        chunk = list(itertools.islice(records, TALKS_PER_FILE))
        if not chunk:
            break
        path = directory / f"talks-{number:03d}.yaml"
        path.write_text(yaml.safe_dump(chunk, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8")
        paths.append(path)
    return paths

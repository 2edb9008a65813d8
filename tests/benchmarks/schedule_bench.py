"""Time reading and validating a generated 1,000-talk conference schedule (JSON and XML).

`python -m tests.benchmarks.schedule_bench [--talks 1000] [--repeats 5]` writes two schedules in
a temporary folder: pretalx-style JSON (languages given, Markdown abstracts, links) and
pentabarf-style XML (empty languages, so each is detected, HTML descriptions, attachments and
titled links), then prints the median seconds of load_talk_file for each and the talks read.
"""
from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

from meetup.catalog.formats import load_talk_file

WORDS = ("observability teams deploy services safely every week with small changes and clear alerts that "
         "people can act on during the night without waking the whole company").split()
PALABRAS = ("los equipos despliegan servicios cada semana con cambios pequeños y alertas claras que las "
            "personas pueden atender durante la noche sin despertar a toda la empresa").split()


def abstract(number: int, shift: int = 0) -> str:
    words = PALABRAS if number % 3 == 0 else WORDS
    return " ".join(words[(number + shift + i) % len(words)] for i in range(60))


def schedule_json(talks: int) -> dict:
    """Return a pretalx-style schedule of talks spread over three days and four rooms."""
    days = []
    for day in range(3):
        rooms = {f"Room {room}": [] for room in range(4)}
        days.append({"index": day + 1, "date": f"2024-05-{16 + day}", "rooms": rooms})
    for number in range(talks):
        day = days[number % 3]
        day["rooms"][f"Room {number % 4}"].append({
            "guid": f"00000000-0000-4000-8000-{number:012d}", "id": number, "date": f"{day['date']}T10:00:00+02:00",
            "slug": f"conf-{number}", "title": f"Talk number {number} about {WORDS[number % len(WORDS)]}",
            "type": "Talk", "language": "es" if number % 3 == 0 else "en",
            "abstract": "**" + abstract(number) + "**", "description": abstract(number, 7),
            "persons": [{"public_name": f"Speaker {number}"}, {"public_name": f"Speaker {number + 1}"}],
            "url": f"https://cfp.example.org/conf/talk/T{number}/",
            "links": [{"url": f"https://video.example.org/{number}", "title": "Recording"}],
            "attachments": [{"url": f"https://cfp.example.org/media/{number}.pdf", "title": "Slides", "type": "slides"}],
        })
    return {"generator": {"name": "pretalx"}, "schedule": {"version": "1", "conference": {
        "acronym": "conf-2024", "title": "Conf 2024", "start": "2024-05-16", "end": "2024-05-18", "days": days}}}


def schedule_xml(talks: int) -> str:
    """Return a pentabarf-style schedule: empty languages, HTML descriptions, attachments."""
    events = []
    for number in range(talks):
        events.append(
            f'<event id="{number}"><start>10:00</start><duration>00:30</duration><room>Room</room>'
            f"<slug>talk_{number}</slug><title>Talk number {number} about {WORDS[number % len(WORDS)]}</title>"
            f"<type>devroom</type><language/><abstract>{escape('<p>' + abstract(number) + '</p>')}</abstract>"
            f"<description>{escape('<p>' + abstract(number, 7) + '</p><ul><li>one</li></ul>')}</description>"
            f'<persons><person id="{number}">Speaker {number}</person></persons>'
            f'<attachments><attachment type="slides" href="https://fosdem.example.org/{number}.pdf">Slides</attachment></attachments>'
            f'<links><link href="https://video.example.org/{number}.webm">Video recording (WebM)</link>'
            f'<link href="https://submission.example.org/feedback/{number}.php">Submit feedback</link></links></event>')
    return ('<?xml version="1.0" encoding="UTF-8"?><schedule><conference><acronym>fosdem-2025</acronym>'
            "<title>FOSDEM 2025</title><start>2025-02-01</start><end>2025-02-01</end><day_change>09:00:00</day_change>"
            f'</conference><day index="1" date="2025-02-01"><room name="Room">{"".join(events)}</room></day></schedule>')


def median_seconds(path: Path, repeats: int) -> tuple[float, int]:
    timings, count = [], 0
    for _ in range(repeats):
        started = time.perf_counter()
        count = len(load_talk_file(path).records)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings), count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--talks", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=5)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        json_path, xml_path = Path(directory) / "schedule.json", Path(directory) / "schedule.xml"
        json_path.write_text(json.dumps(schedule_json(options.talks)), encoding="utf-8")
        xml_path.write_text(schedule_xml(options.talks), encoding="utf-8")
        for label, path in (("pretalx JSON", json_path), ("pentabarf XML", xml_path)):
            seconds, count = median_seconds(path, options.repeats)
            print(f"{label}: {path.stat().st_size / 1e6:.1f} MB, {count} talks read and validated in {seconds:.2f} s (median of {options.repeats})")


if __name__ == "__main__":
    main()

"""The shipped seed: the old site's 19 talks, with its flaws corrected as documented."""
from collections import Counter

import pytest

from meetup.catalog.seeding import SEED_FILE
from meetup.catalog.talkdate import TalkDate
from meetup.catalog.formats import SpeakerCredit, read_talk_file

SEED = {record.slug: record for record in read_talk_file(SEED_FILE)}


def test_seed_has_the_19_talks_of_the_old_page():
    assert len(SEED) == 19
    assert Counter(record.language for record in SEED.values()) == {"es": 15, "en": 4}


@pytest.mark.parametrize(
    ("slug", "date"),
    [
        ("service-mesh-for-your-service-mess", TalkDate(2018, 3, 23)),  # seed: 23/032018
        ("anatomy-of-an-object-storage-migration-plan", TalkDate(2019)),  # seed: 18/0/2019
        ("coreos-container-linux-baremetal-provisioning-with-terraform-ignition-and-matchbox", TalkDate()),  # 04/04/1984
        ("mis-primeros-pasos-subiendo-escaleras", TalkDate()),  # 04/04/1984
        ("incident-analysis", TalkDate(2020, 9, 23)),
        ("ci-cd-with-kubernetes-helm-and-wercker", TalkDate(2016, 11, 30)),
    ],
)
def test_corrected_and_plain_dates(slug, date):
    assert SEED[slug].date == date


@pytest.mark.parametrize(
    ("slug", "speakers"),
    [
        ("postmortems-at-flywire", (SpeakerCredit("Omar López", "SRE"), SpeakerCredit("Andoni Alonso", "SRE"))),
        ("talk-events-services-and-hives", (SpeakerCredit("Imanol González", "Tech Lead"), SpeakerCredit("Pedro Díaz", "SRE Lead"))),
        ("resilience-patterns-server-edition", (SpeakerCredit("Xabier Larrakoetxea"),)),
        ("incident-analysis", ()),
    ],
)
def test_speakers_named_by_the_text(slug, speakers):
    assert SEED[slug].speakers == speakers


def test_no_placeholder_text_is_carried_over():
    for record in SEED.values():
        for text in (record.title, record.abstract):
            assert "Sunset in the mountains" not in text
            assert "Made with" not in text
            assert "agonzalezro" not in text
    assert SEED["kubernetes-journey-at-tuenti"].abstract.startswith("We have been using Kubernetes since 1.0")
    assert SEED["postmortems-at-flywire"].abstract.startswith("At Flywire, we have been using")


def test_multi_paragraph_abstracts_keep_their_paragraphs():
    assert SEED["anatomy-of-an-object-storage-migration-plan"].abstract.count("\n\n") == 2
    assert "\n\nPS: they promise" in SEED["talk-events-services-and-hives"].abstract

"""Finding the talk or speaker a URL names, or a 404."""
import pytest
from sqlalchemy import event, select
from werkzeug.exceptions import NotFound

from meetup.catalog.db import get_session
from meetup.catalog.models import Speaker
from meetup.web.lookup import or_404, speaker_by_slug, talk_by_slug


@pytest.fixture
def statements(seeded_app):
    """Count the statements sent to the database within an app context."""
    seen: list[str] = []
    engine = seeded_app.extensions["meetup_engine"]

    def listener(_connection, _cursor, statement, *_rest) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", listener)
    with seeded_app.app_context():
        get_session()
        yield seen
    event.remove(engine, "before_cursor_execute", listener)


def test_a_talk_is_found_with_its_speakers(statements):
    talk = talk_by_slug("postmortems-at-flywire")
    assert talk is not None and talk.slug == "postmortems-at-flywire" and talk.speaker_names


@pytest.mark.parametrize("find", [talk_by_slug, speaker_by_slug])
def test_an_unknown_slug_is_none(statements, find):
    assert find("no-such-slug") is None
    assert statements  # it was looked up


@pytest.mark.parametrize("slug", ["", "Upper", "nul\x00byte", "x/../y", "-dash", "ñandú"])
@pytest.mark.parametrize("find", [talk_by_slug, speaker_by_slug])
def test_a_malformed_slug_never_reaches_the_database(statements, find, slug):
    assert find(slug) is None
    assert statements == []


def test_a_speaker_is_found(statements):
    stored = get_session().scalars(select(Speaker).order_by(Speaker.id)).first()
    found = speaker_by_slug(stored.slug)
    assert found is not None and (found.id, found.name) == (stored.id, stored.name)


def test_or_404(seeded_app):
    assert or_404("found") == "found"
    assert or_404(0) == 0  # only None is missing
    with pytest.raises(NotFound):
        or_404(None)

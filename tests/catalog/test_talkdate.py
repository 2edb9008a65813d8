import datetime as dt

import pytest

from meetup.catalog.talkdate import BadDate, TalkDate


@pytest.mark.parametrize(
    ("value", "expected", "human"),
    [
        ("2018-03-23", TalkDate(2018, 3, 23), "23 March 2018"),
        (dt.date(2020, 9, 23), TalkDate(2020, 9, 23), "23 September 2020"),
        ("2019-08", TalkDate(2019, 8), "August 2019"),
        ("2019", TalkDate(2019), "2019"),
        (2019, TalkDate(2019), "2019"),
        (None, TalkDate(), "date unknown"),
        ("", TalkDate(), "date unknown"),
        ("unknown", TalkDate(), "date unknown"),
    ],
)
def test_parse_and_display(value, expected, human):
    assert TalkDate.parse(value) == expected
    assert TalkDate.parse(value).human() == human


@pytest.mark.parametrize(
    "value",
    ["23/03/2018", "2019-02-30", "2019-13-01", "2019-00", "18/0/2019", "23/032018", "1800-01-01",
     "soon", True, 3.5, dt.datetime(2020, 1, 1, 10, 0), ["2019"]],
)
def test_bad_dates_are_refused(value):
    with pytest.raises(BadDate):
        TalkDate.parse(value)


def test_sort_key_orders_newest_first_with_partial_dates_after_full_ones():
    dates = [TalkDate(2019), TalkDate(), TalkDate(2019, 8, 18), TalkDate(2019, 6, 18), TalkDate(2020, 2, 5)]
    ordered = sorted(dates, key=lambda d: d.sort_key, reverse=True)
    assert ordered == [TalkDate(2020, 2, 5), TalkDate(2019, 8, 18), TalkDate(2019, 6, 18), TalkDate(2019), TalkDate()]


def test_iso_round_trip():
    for date in (TalkDate(2018, 3, 23), TalkDate(2019, 8), TalkDate(2019), TalkDate()):
        assert TalkDate.parse(date.iso()) == date

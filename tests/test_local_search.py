"""Local listing search: filters and ranking against four listings whose answers were worked
out by hand (distances, time zones, a meeting past midnight). The clock is always given."""

from __future__ import annotations

import datetime as dt

import pytest

from peerfind.errors import UsageError
from peerfind.answer.listing_store import Filters, ListingStore, When, parse_when
from peerfind.geo import Place

UTC = dt.timezone.utc
# The centre of ZIP 33137 (Miami) as the zipcodes package gives it.
NEAR_33137 = Place(25.8156, -80.1897, "America/New_York", "Miami", "FL", "Miami-Dade County")
RECORDS = [
    {"id": "a", "name": "Miami Group", "latitude": 25.8156, "longitude": -80.1897,
     "timezone": "America/New_York", "hours": [[0, "18:00", "20:00"]],
     "language_codes": ["es", "en"], "free": True, "ages": [18, None], "modes": ["in-person"],
     "settings": ["peer-support-groups"], "populations": ["veterans"], "updated": "2025-01-01"},
    {"id": "b", "name": "Fort Lauderdale Group", "latitude": 26.1224, "longitude": -80.1373,
     "timezone": "America/New_York", "hours": [[5, "23:00", "01:00"]],  # Saturday night
     "language_codes": ["en"], "free": False, "ages": [13, 17], "modes": ["in-person"],
     "settings": ["peer-support-groups"], "updated": "2024-06-01"},
    {"id": "c", "name": "Los Angeles Online", "timezone": "America/Los_Angeles",
     "hours": [[0, "18:00", "19:00"]], "modes": ["online"],
     "settings": ["peer-support-groups"], "populations": ["veterans"], "updated": "2024-01-01"},
    {"id": "d", "name": "Tallahassee Group", "latitude": 30.4383, "longitude": -84.2807,
     "timezone": "America/New_York", "hours": [[d, "09:00", "17:00"] for d in range(5)],
     "modes": ["in-person"], "settings": ["peer-support-groups"], "populations": ["veterans"],
     "updated": "2025-06-01"},
]
TARGETS = ["peer-support-groups", "veterans"]


@pytest.fixture(scope="module")
def store():
    return ListingStore.in_memory(RECORDS)


def ids(store, filters=Filters(), targets=TARGETS):
    found, notes = store.search(targets, filters)
    return [f.record["id"] for f in found], notes


def test_ranking_near_a_zip(store):
    found, _ = store.search(TARGETS, Filters(near=NEAR_33137))
    # Covered first (a: here; c: online only; b: 21 miles), by fit (a and c link to both
    # matches, b to one), then distance (a has one, c none); d is 400 miles off: last.
    assert [f.record["id"] for f in found] == ["a", "c", "b", "d"]
    assert [f.covered for f in found] == [True, True, True, False]
    assert found[0].distance == pytest.approx(0, abs=0.01)
    assert round(found[2].distance) == 21  # 0.3068 deg north, 0.0524 deg east at 26 N
    assert found[1].distance is None
    # Tallahassee: 4.6227 deg north (319 miles), 4.0910 deg west at 28 N (249 miles).
    assert round(found[3].distance) == 405
    assert found[0].hits == ["peer-support-groups", "veterans"] and found[0].fit == 2


def test_ranking_without_a_place_is_fit_then_freshness(store):
    assert ids(store)[0] == ["d", "a", "c", "b"]  # fit 2: newest first; then fit 1


@pytest.mark.parametrize("instant, expected", [
    (dt.datetime(2026, 11, 30, 23, 30, tzinfo=UTC), ["a"]),  # Mon 18:30 in Miami
    (dt.datetime(2026, 12, 1, 2, 30, tzinfo=UTC), ["c"]),  # Mon 18:30 in Los Angeles
    (dt.datetime(2026, 11, 30, 15, 0, tzinfo=UTC), ["d"]),  # Mon 10:00 in Miami
    (dt.datetime(2026, 12, 6, 5, 30, tzinfo=UTC), ["b"]),  # Sun 00:30: Saturday's meeting
    (dt.datetime(2026, 12, 6, 6, 30, tzinfo=UTC), []),  # Sun 01:30: it has ended
    (dt.datetime(2026, 12, 6, 3, 59, tzinfo=UTC), []),  # Sat 22:59: not yet
])
@pytest.mark.parametrize("checked_in_python", [300, 1, 0])
def test_open_now_in_each_listings_time_zone(store, monkeypatch, instant, expected,
                                             checked_in_python):
    # The best few are checked in Python, the rest in SQL: both must agree.
    monkeypatch.setattr("peerfind.answer.listing_store._FIRST", checked_in_python)
    assert ids(store, Filters(when=When(instant=instant)))[0] == expected


@pytest.mark.parametrize("checked_in_python", [300, 0])
def test_open_at_a_weekday_and_time_is_each_listings_own_time(store, monkeypatch,
                                                              checked_in_python):
    monkeypatch.setattr("peerfind.answer.listing_store._FIRST", checked_in_python)
    when = parse_when("mon 6:30pm")
    assert (when.day, when.minute) == (0, 18 * 60 + 30)
    assert ids(store, Filters(when=when))[0] == ["a", "c"]
    assert ids(store, Filters(when=parse_when("Saturday 23:15")))[0] == ["b"]


@pytest.mark.parametrize("text", ["", "7pm", "someday 7pm", "tue 25:00", "tue"])
def test_bad_open_times_do_not_echo(text):
    with pytest.raises(UsageError) as caught:
        parse_when(text)
    # The same words whatever was typed: nothing typed is quoted.
    assert str(caught.value) == ('--open: expected a day and a time, like "tue 7pm" or '
                                 '"saturday 19:30"')


def test_language_free_age_and_attendance(store):
    found, notes = ids(store, Filters(language="es"))
    assert found == ["a"]
    assert notes == ["2 of the 4 local listings that fit name no language; --language left "
                     "them out"]
    found, notes = ids(store, Filters(free=True))
    assert found == ["a"]
    assert notes == ["2 of the 4 local listings that fit do not say whether they are free; "
                     "--free left them out"]
    found, notes = ids(store, Filters(age=15))
    assert found == ["d", "c", "b"]  # a is for 18 and over; c and d state no ages
    assert "2 of the 4 local listings that fit state no ages; --age kept them" in notes[0]
    assert ids(store, Filters(online=True))[0] == ["c"]
    assert ids(store, Filters(in_person=True))[0] == ["d", "a", "b"]


def test_filters_combine(store):
    found, _ = store.search(TARGETS, Filters(near=NEAR_33137, age=15, in_person=True))
    assert [f.record["id"] for f in found] == ["b", "d"]
    found, notes = store.search(TARGETS, Filters(language="es", age=15))
    assert found == [] and "no local listing passes every filter (of 4 that fit the need)" \
        in notes


def test_service_area_decides_coverage():
    records = [dict(RECORDS[3], id="e", service_areas=["Miami-Dade County"]),
               dict(RECORDS[0], id="f", service_areas=["Broward County"],
                    populations=[])]
    store = ListingStore.in_memory(records)
    found, _ = store.search(TARGETS, Filters(near=NEAR_33137))
    # e is 405 miles away but serves Miami-Dade; f is here but serves Broward only.
    assert [(f.record["id"], f.covered) for f in found] == [("e", True), ("f", False)]


def test_stale_listings_are_counted():
    from peerfind.answer.listing_store import stale

    store = ListingStore.in_memory(RECORDS + [dict(RECORDS[0], id="x", updated=None)])
    # A year before 2025-06-02 is 2024-06-02: b (2024-06-01) and c (2024-01-01) are older.
    assert stale(store, dt.date(2025, 6, 2)) == (2, 1, "2024-01-01")
    assert stale(store, dt.date(2025, 5, 31)) == (1, 1, "2024-01-01")


def test_why_and_freshness():
    from peerfind.answer.listing_store import explain, freshness

    store = ListingStore.in_memory(RECORDS)
    found, _ = store.search(TARGETS, Filters(near=NEAR_33137, language="es", free=True))
    names = {"peer-support-groups": "Peer support groups", "veterans": "Veterans"}
    assert explain(found[0], names, Filters(near=NEAR_33137, language="es", free=True),
                   {"es": "Spanish"}) == ["fits Peer support groups, Veterans",
                                          "0.0 miles away", "Spanish", "free"]
    assert freshness({"directory": "211 Miami", "updated": "2019-08-19"}) == \
        "from 211 Miami, updated 2019-08-19"
    assert freshness({}) == "from a local directory, date unknown"

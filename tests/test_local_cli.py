"""Local listings through the command line: an import to a listing store, then searches with
filters, in every format. The meeting feed's answers were worked out by hand (see
test_meetings.py for the feed); the clock is given with PEERFIND_NOW."""

from __future__ import annotations

import csv
import functools
import io
import json
from pathlib import Path

import pytest

FEED = Path(__file__).resolve().parent / "fixtures" / "meetings" / "feed.json"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "hsds" / "open211-miami"


@pytest.fixture
def store(run, tmp_path) -> Path:
    path = tmp_path / "meetings.db"
    result = run("import-meetings", str(FEED), "-o", str(path), "--directory", "Test Intergroup")
    assert result.code == 0, result.err
    return path


def _local(run, store, *args, environ=None):
    result = run("--kb", str(store), "search", "alcoholics anonymous meeting", *args,
                 "--format", "json", environ=environ)
    assert result.code in (0, 1), result.err
    return json.loads(result.out)["local_services"], result.err


def _ids(listings):
    return [o["id"].removeprefix("feed-") for o in listings]


def test_near_a_zip_gives_distance_and_why(run, store):
    listings, _ = _local(run, store, "--near", "33137")
    ids = _ids(listings)
    # The AA meetings within 50 miles of 33137 or online: Sunday Serenity (0.4 mi, at 33137's
    # centre), Grupo Esperanza (33135), Night Owls (online only). The nearest comes first.
    assert ids[0] == "sunday-serenity-14"
    first = listings[0]
    assert first["distance_miles"] == pytest.approx(0.4, abs=0.1)
    assert any("miles away" in why for why in first["why"])
    assert first["freshness"] == "from Test Intergroup, updated 2025-05-31"
    assert first["opening_hours"] == [[6, "18:00", "19:30"]]


def test_open_now_honours_each_meetings_time_zone_and_midnight(run, store):
    # Sunday 00:15 in Los Angeles = Sunday 03:15 in Miami: only Night Owls (Saturday
    # 23:30-00:30, Los Angeles time) is meeting.
    listings, _ = _local(run, store, "--open-now",
                         environ={"PEERFIND_NOW": "2026-12-06T00:15:00-08:00"})
    assert _ids(listings) == ["night-owls"]
    assert "open now" in listings[0]["why"]
    # Monday 20:30 in Miami: Grupo Esperanza (Mon, Wed, Fri 20:00-21:00).
    listings, _ = _local(run, store, "--open-now",
                         environ={"PEERFIND_NOW": "2026-11-30T20:30:00-05:00"})
    assert _ids(listings) == ["grupo-esperanza"]


def test_open_at_a_time_language_and_attendance(run, store):
    listings, _ = _local(run, store, "--open", "sun 6:45pm")
    assert _ids(listings) == ["sunday-serenity-14"]
    listings, _ = _local(run, store, "--language", "es")
    assert _ids(listings) == ["grupo-esperanza"]
    listings, _ = _local(run, store, "--language", "Spanish", "--online")
    assert _ids(listings) == ["grupo-esperanza"]
    listings, _ = _local(run, store, "--online")
    assert set(_ids(listings)) == {"grupo-esperanza", "night-owls"}
    listings, _ = _local(run, store, "--in-person", "--free")
    assert "night-owls" not in _ids(listings) and listings


def test_a_filter_the_data_cannot_answer_says_so(run, store):
    listings, err = _local(run, store, "--age", "15")
    assert listings  # no meeting states ages: kept, and said
    assert "state no ages; --age kept them: ask them" in err


@pytest.mark.parametrize("args, message", [
    (("--near", "Atlantis, ZZ"), "--near: not a known US ZIP code or city"),
    (("--near", "99999"), "--near: not a known US ZIP code or city"),
    (("--language", "klingon"), "--language: not a language peerfind knows"),
    (("--open", "someday"), "--open: expected a day and a time"),
    (("--open-now", "--open", "tue 7pm"), "give --open-now or --open, not both"),
])
def test_bad_filters_are_one_line_and_never_quoted(run, store, args, message):
    result = run("--kb", str(store), "search", "aa meeting", *args)
    assert result.code == 2 and message in result.err
    assert "Atlantis" not in result.err and "klingon" not in result.err \
        and "someday" not in result.err and "99999" not in result.err


def test_csv_and_tsv_carry_local_listings(run, store):
    for fmt, delimiter in (("csv", ","), ("tsv", "\t")):
        result = run("--kb", str(store), "search", "aa meeting", "--near", "33137",
                     "--format", fmt)
        rows = list(csv.DictReader(io.StringIO(result.out), delimiter=delimiter))
        local = [row for row in rows if row["kind"] == "local-listing"]
        assert local and local[0]["query"] == "Sunday Serenity"
        assert local[0]["address"] == "3550 Biscayne Blvd, Miami, FL 33137"
        assert local[0]["hours"] == "Sun 18:00-19:30"
        assert local[0]["distance_miles"] == "0.4"
        # The service office's number; a cell that starts with + gets an apostrophe so that a
        # spreadsheet shows it as text (issue 16, OWASP's advice on CSV injection).
        assert local[0]["phone"] == "'+1-305-555-0100"


def test_text_says_why_and_whose_date(run, store):
    result = run("--kb", str(store), "search", "aa meeting", "--near", "33137",
                 "--format", "plain", "--all")
    assert "Why: fits " in result.out and "miles away" in result.out
    assert "Listing: from Test Intergroup, updated 2025-05-31" in result.out


# -- the real Miami export ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def miami_store(tmp_path_factory):
    if not SHARED.exists():
        pytest.skip(f"shared HSDS data not present: {SHARED} (see README, Develop and test)")
    from peerfind.main import main
    from peerfind.env import Environment

    path = tmp_path_factory.mktemp("miami") / "miami.db"
    err = io.StringIO()
    code = main(["import-hsds", str(SHARED), "--directory", "211 Miami", "--updated",
                 "2019-08-19", "-o", str(path)],
                env=Environment(stdout=io.StringIO(), stderr=err, stdin=io.StringIO()))
    assert code == 0, err.getvalue()
    return path


@functools.lru_cache(maxsize=1)
def _places():
    from peerfind.geo import Places

    return Places(None)


def _in_miami_dade(listing) -> bool:
    """Whether a listing's ZIP code is in Miami-Dade County (the zipcodes package's county)."""
    place = _places().zip_place(listing.get("postal_code") or "")
    return place is not None and place.county == "Miami-Dade County"


@pytest.mark.parametrize("need, kinds", [
    ("AA meetings", {"mutual-help", "support-groups"}),
    ("veteran support group", None),
    ("grief group", {"support-groups"}),
    ("support group for families of people who drink", {"support-groups", "mutual-help"}),
    ("lgbt youth group", None),
])
def test_miami_lists_miami_dade_listings_of_that_kind_first(run, miami_store, need, kinds):
    result = run("--kb", str(miami_store), "search", need, "--near", "33137", "--format",
                 "json")
    listings = json.loads(result.out)["local_services"]
    assert len(listings) >= 3
    for listing in listings[:3]:
        assert _in_miami_dade(listing), listing["name"]
        assert listing["distance_miles"] is not None and listing["distance_miles"] < 30
        assert listing["why"] and listing["why"][0].startswith("fits ")
        assert listing["freshness"] == "from 211 Miami, updated 2019-08-19"
    if kinds:
        assert listings[0]["kind"] in kinds


def test_miami_has_no_mistyped_or_repeated_lines(run, miami_store):
    result = run("--kb", str(miami_store), "search", "I feel suicidal, LGBT youth",
                 "--near", "33137", "--format", "json")
    data = json.loads(result.out)
    names = [o["name"] for o in data["local_services"]]
    assert not any("LIFELINE" in name or "TREVOR" in name for name in names)
    for need in ("grief group", "dementia caregiver support", "support line"):
        result = run("--kb", str(miami_store), "search", need, "--near", "33137",
                     "--format", "json")
        for listing in json.loads(result.out)["local_services"]:
            if listing["kind"] == "crisis-line":
                assert "BEREAVEMENT" not in listing["name"] and "ALZHEIMER" not in \
                    (listing.get("organization") or "")


def test_validate_warns_about_old_listings_in_a_store(run, store):
    result = run("validate", str(store))
    # The feed's meetings are dated 2024-01-10 to 2025-05-31, three carry no date: all of
    # them are more than a year before the day these tests run (2026 or later).
    assert result.code == 1, result.err
    assert "listings are more than a year old (the oldest from 2024-01-10)" in result.out
    assert "3 listings carry no date of their own" in result.out


def test_a_store_of_another_version_or_damaged_is_one_line(run, store, tmp_path):
    import sqlite3

    old = tmp_path / "old.db"
    old.write_bytes(store.read_bytes())
    with sqlite3.connect(old) as db:
        db.execute("UPDATE meta SET value = '1' WHERE key = 'store_version'")
    result = run("--kb", str(old), "search", "aa meeting")
    assert result.code == 2 and "a listing store of another version" in result.err
    broken = tmp_path / "broken.db"
    broken.write_bytes(store.read_bytes())
    with sqlite3.connect(broken) as db:
        db.execute("DROP TABLE records")
    result = run("--kb", str(broken), "search", "aa meeting")
    assert result.code == 2 and "cannot be read (damaged?)" in result.err


def test_a_search_builds_only_the_local_listings_it_shows(tmp_path):
    """Thousands of local listings may be layered in: a free-text search reads the ones it
    shows, never all of them (the benchmark's 10,000 listings once cost +255% when one
    look-up walked every organization)."""
    from peerfind import load_knowledge_base, search

    listings = "".join(
        f"  - {{id: group-{n}, name: Group {n}, type: local-service, local: true, "
        f"populations: [veterans], address: '{n} Elm St, Seattle, WA 98101', "
        f"source: test listing, checked: 2026-11-01}}\n" for n in range(60))
    layer = tmp_path / "local.yaml"
    layer.write_text("organizations:\n" + listings, encoding="utf-8")
    kb = load_knowledge_base([layer], use_cache=False)
    shown = search("im a veteran and i cant sleep", kb=kb).to_dict()["local_services"]
    assert shown and len(kb.local._built) <= len(shown) < 60

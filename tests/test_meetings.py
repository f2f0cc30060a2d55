"""Meeting Guide feeds: a feed written for these tests after the specification (several days,
a meeting past midnight, hybrid and online-only meetings, Spanish, missing fields, several
fellowships, a temporarily closed location). Every expected value was worked out by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from peerfind.errors import PeerfindError
from peerfind.importers import read_import
from peerfind.answer.listing_store import is_open

FEED = Path(__file__).resolve().parent / "fixtures" / "meetings" / "feed.json"


@pytest.fixture(scope="module")
def meetings(kb):
    job = read_import(FEED, kb, kind="meetings", keep_all=True)
    records = {record["id"].removeprefix("feed-"): record for record in job.records()}
    return records, job.summary


def test_counts_and_reasons(meetings):
    records, summary = meetings
    assert (summary.read, summary.kept) == (8, 6)
    assert summary.skipped == {"temporarily closed": 1, "no address and no online link": 1}
    assert "keep-coming-back" not in records and "nowhere" not in records
    assert summary.lines()[0] == "read 8 meetings from feed.json: kept 6, skipped 2"
    assert "1 meetings name no fellowship (AA, Al-Anon, NA...): give one with --fellowship" \
        in summary.warnings


def test_in_person_meeting(meetings):
    record = meetings[0]["sunday-serenity-14"]
    assert record["type"] == "mutual-help"
    assert record["hours"] == [[6, "18:00", "19:30"]]  # day 0 is Sunday in the feed
    assert record["schedule"] == "Sun 18:00-19:30"
    assert record["timezone"] == "America/New_York"
    assert (record["latitude"], record["longitude"]) == (25.8093, -80.1889)
    assert record["address"] == "3550 Biscayne Blvd, Miami, FL 33137"
    assert record["attendance"] == "in-person" and record["modes"] == ["in-person"]
    assert record["meeting"] == {"fellowship": "Alcoholics Anonymous",
                                 "types": ["O", "D", "LGBTQ"]}
    assert record["updated"] == "2025-05-31" and record["free"] is True
    assert "lgbtq" in record["populations"] and "alcohol" in record["conditions"]
    assert record["settings"] == ["mutual-help-meetings"]
    assert record["organization"] == "The Serenity Group"
    assert record["description"].startswith("Alano Club\n\nRing buzzer.")


def test_hybrid_spanish_meeting_on_three_days(meetings):
    record = meetings[0]["grupo-esperanza"]
    assert record["hours"] == [[0, "20:00", "21:00"], [2, "20:00", "21:00"],
                               [4, "20:00", "21:00"]]
    assert record["schedule"] == "Mon, Wed, Fri 20:00-21:00"
    assert record["attendance"] == "hybrid"
    assert record["modes"] == ["in-person", "online", "phone"]
    assert record["languages"] == ["Spanish"] and record["language_codes"] == ["es"]
    assert record["address"] == "1500 SW 8th St, Miami, FL 33135"  # from formatted_address
    assert {"type": "url", "value": "https://zoom.example/j/123456789",
            "label": "online meeting"} in record["contacts"]
    assert {"type": "phone", "value": "+16465550199,,123456789#",
            "label": "join by phone"} in record["contacts"]


def test_online_meeting_past_midnight(meetings):
    record = meetings[0]["night-owls"]
    assert record["hours"] == [[5, "23:30", "00:30"]]  # Saturday night into Sunday
    assert record["attendance"] == "online" and record["modes"] == ["online"]
    assert "address" not in record  # an approximate address is not a door
    assert record["timezone"] == "America/Los_Angeles"
    opening = (5, 23 * 60 + 30, 30)
    assert is_open([opening], 5, 23 * 60 + 45)  # Saturday 23:45
    assert is_open([opening], 6, 15)  # Sunday 00:15
    assert not is_open([opening], 6, 45)  # Sunday 00:45
    assert not is_open([opening], 4, 23 * 60 + 45)  # Friday 23:45


def test_fellowships_from_names(meetings):
    records = meetings[0]
    alanon = records["hope-for-today"]
    assert alanon["meeting"]["fellowship"] == "Al-Anon"
    assert "family" in alanon["populations"]
    assert alanon["hours"] == [[3, "19:00", "20:00"]]  # no end: an hour, as the spec says
    na = records["clean-and-serene"]
    assert na["meeting"]["fellowship"] == "Narcotics Anonymous"
    assert "youth" in na["populations"] and "drug-use" in na["conditions"]
    assert records["by-appointment"]["meeting"]["fellowship"] == ""
    assert records["by-appointment"]["schedule"] == "by appointment"
    assert "hours" not in records["by-appointment"]


def test_unsafe_links_are_dropped(meetings):
    record = meetings[0]["clean-and-serene"]
    values = [contact["value"] for contact in record.get("contacts", ())]
    assert not any(v.lower().startswith(("javascript:", "data:")) for v in values)
    assert record["attendance"] == "in-person"  # a data: link is no way to join online


def test_fellowship_option_names_every_meeting(kb):
    job = read_import(FEED, kb, kind="meetings", keep_all=True, fellowship="Al-Anon")
    assert {r["meeting"]["fellowship"] for r in job.records()} == {"Al-Anon"}
    assert not any("fellowship" in w for w in job.summary.warnings)


def test_not_a_feed(kb, tmp_path):
    path = tmp_path / "feed.json"
    path.write_text(json.dumps({"name": "x"}))
    with pytest.raises(PeerfindError, match="not a Meeting Guide feed"):
        read_import(path, kb, kind="meetings")


def test_cli_writes_yaml_and_refuses_to_overwrite(run, tmp_path):
    out = tmp_path / "meetings.yaml"
    result = run("import-meetings", str(FEED), "-o", str(out))
    assert result.code == 2 and "3 listings carry no date of their own" in result.err
    assert not out.exists()
    result = run("import-meetings", str(FEED), "-o", str(out), "--updated", "2025-06-01")
    assert result.code == 0, result.err
    assert "read 8 meetings from feed.json: kept 6" in result.err
    import yaml

    entries = yaml.safe_load(out.read_text())["organizations"]
    assert len(entries) == 6 and entries[0]["checked"] == "2025-05-31"
    dated = {e["id"]: e["checked"] for e in entries}
    assert dated["feed-by-appointment"] == "2025-06-01"  # the feed's date, given
    again = run("import-meetings", str(FEED), "-o", str(out), "--updated", "2025-06-01")
    assert again.code == 2 and "already exists; add --force" in again.err
    assert run("import-meetings", str(FEED), "-o", str(out), "--updated", "2025-06-01",
               "--force").code == 0

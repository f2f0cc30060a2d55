"""HSDS import: the real 211 Miami export, the HSDS 3.0 examples and small messy fixtures."""

from __future__ import annotations

import datetime as dt
import time
import zipfile
from pathlib import Path

import pytest
import yaml

from peerfind.errors import PeerfindError
from peerfind.importers import ImportSummary, dump_yaml, load_rules, read_import
from peerfind.importers.clean import clean
from peerfind.importers.listing import NATIONAL_LINE
from peerfind.importers.hours import hours_text, read_schedules
from peerfind.importers.hsds_tables import get
from peerfind.importers.write import yaml_document
from peerfind.knowledge import builtin_path, check_files, load_knowledge_base


def import_hsds(path, kb, **options):
    """The knowledge-base document an import writes, and its summary. The fixtures carry few
    dates of their own: the export's date is given, as a user gives --updated."""
    options.setdefault("updated", EXPORT_DATE)
    job = read_import(path, kb, **options)
    document = yaml_document(job.records(), job.meta)
    return document, job.summary


def _clean(raw, rules):
    return clean(raw, rules.words, rules.drop_lines)


def _schedule(rows, rules):
    openings, notes = read_schedules(rows, get)
    return hours_text(openings, [_clean(note, rules) for note in notes])

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "hsds"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "hsds"
MIAMI = SHARED / "open211-miami"
SPEC = SHARED / "spec-3.0-examples"
TODAY = dt.date(2026, 1, 5)
EXPORT_DATE = "2025-12-01"


def _shared(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"shared HSDS data not present: {path}")
    return path


@pytest.fixture(scope="module")
def test_kb():
    """A small knowledge base with the ids the rules link to (independent of resources.yaml)."""
    return load_knowledge_base([FIXTURES / "kb.yaml"], builtin=False, use_cache=False)


@pytest.fixture(scope="module")
def builtin_kb():
    return load_knowledge_base(use_cache=False)


@pytest.fixture(scope="module")
def miami(builtin_kb):
    path = _shared(MIAMI)
    calls: list[tuple[int, int]] = []
    start = time.perf_counter()
    document, summary = import_hsds(path, builtin_kb, on_progress=lambda d, t: calls.append((d, t)),
                                    updated="2019-08-19")
    elapsed = time.perf_counter() - start
    by_record = {entry["source"].rsplit(" ", 1)[-1]: entry for entry in document["organizations"]}
    return document, summary, by_record, elapsed, calls


def _check(document: dict, base: tuple[str, bytes], tmp_path: Path) -> list:
    out = tmp_path / "imported.yaml"
    out.write_text(dump_yaml(document), encoding="utf-8")
    _, _, problems = check_files([base, (str(out), out.read_bytes())])
    return problems


def _errors(problems) -> list[str]:
    return [str(p) for p in problems if p.severity == "error"]


# -- the real Miami export ---------------------------------------------------------------------


def test_miami_imports_quickly_with_counts(miami):
    document, summary, _, elapsed, calls = miami
    assert summary.read == 4089
    assert summary.kept == len(document["organizations"])
    assert summary.kept + sum(summary.skipped.values()) == summary.read
    assert 250 <= summary.kept <= 500
    assert summary.skipped["not peer-support related"] > 3500
    assert elapsed < 15  # about 1-2 s on a laptop; generous for a loaded CI machine
    assert calls[-1] == (4089, 4089) and len(calls) == 4089
    assert summary.lines()[0].startswith(f"read 4089 services from open211-miami: kept "
                                         f"{summary.kept}, skipped")


def test_miami_passes_the_checker(miami, tmp_path):
    document, *_ = miami
    base = builtin_path()
    problems = _check(document, (str(base), base.read_bytes()), tmp_path)
    assert _errors(problems) == []
    ids = [entry["id"] for entry in document["organizations"]]
    assert len(ids) == len(set(ids))
    assert all(entry["local"] is True and entry["source"].startswith("open211-miami services.csv id ")
               for entry in document["organizations"])


@pytest.mark.parametrize("record", ["1971", "2060", "5539", "6237", "8426"])
def test_miami_lgbt_support_groups_link_to_lgbtq_with_a_phone(miami, record):
    # Every service with the AIRS code PN-8100.4500-240 (Gay/Lesbian/Bisexual/Transgender
    # Support Groups) in services_taxonomy.csv.
    *_, by_record, _, _ = miami
    entry = by_record[record]
    assert "lgbtq" in entry["populations"]
    assert entry["type"] == "support-groups"
    assert any(c["type"] == "phone" and c["value"][:3].isdigit() for c in entry["contacts"])


def test_miami_rainbow_circle(miami, builtin_kb):
    *_, by_record, _, _ = miami
    entry = by_record["6237"]
    assert entry["name"] == "RAINBOW CIRCLE"
    assert entry["organization"] == "PRIDELINES YOUTH SERVICES, INC."
    assert entry["contacts"][0] == {"type": "phone", "value": "305-571-9601"}
    assert "in-person" in entry["modes"]
    if "peer-support-groups" in builtin_kb.sections["settings"]:
        assert "peer-support-groups" in entry["settings"]


@pytest.mark.parametrize("record", ["1472", "2320", "6785", "8977"])
def test_miami_alcohol_support_groups_link_to_alcohol(miami, record):
    # PN-8100.0500-070 Alcohol Use Disorder Support Groups.
    *_, by_record, _, _ = miami
    assert "alcohol" in by_record[record]["conditions"]
    assert by_record[record]["type"] in ("support-groups", "mutual-help")


def test_miami_alcoholics_anonymous_is_mutual_help(miami):
    *_, by_record, _, _ = miami
    assert by_record["1472"]["name"] == "ALCOHOLICS ANONYMOUS MIAMI-DADE INTERGROUP"
    assert by_record["1472"]["type"] == "mutual-help"


def test_miami_mojibake_is_repaired(miami):
    *_, by_record, _, _ = miami
    # services.csv id 7874 reads "DBSAGÇÖs peer-based, wellness-oriented" (UTF-8 read as
    # code page 437 and squeezed into ASCII); id 4406 "Sociedad Americana del C+íncer".
    assert "DBSA's peer-based, wellness-oriented" in by_record["7874"]["description"]
    assert "Sociedad Americana del Cáncer" in by_record["4406"]["description"]
    text = dump_yaml(miami[0])
    assert "GÇ" not in text and "+í" not in text


def test_miami_text_is_cleaned(miami):
    *_, by_record, _, _ = miami
    entry = by_record["149"]  # description ends with "\n\n###MON###"-style markers in the CSV
    assert "\\n" not in entry["description"] and "###" not in entry["description"]
    assert "\n\n" in entry["description"]
    assert entry["address"] == "1907 NW 38th Street, Miami, FL 33142"
    assert entry["schedule"] == "Mon-Fri 8:30-16:30"
    assert entry["languages"] == ["English", "Spanish", "Haitian Creole"]  # named as the code ht


def test_miami_reports_absent_tables_and_unlinked_rows(miami):
    _, summary, *_ = miami
    assert "table 'contact' is listed in datapackage.json but contacts.csv is absent" \
        in summary.warnings
    assert any(w.startswith("eligibility.csv: 2244 of 2244 rows name no service_id")
               for w in summary.warnings)


def test_miami_keep_all_keeps_everything(builtin_kb):
    document, summary = import_hsds(_shared(MIAMI), builtin_kb, keep_all=True, today=TODAY,
                                    updated="2019-08-19")
    assert summary.read == summary.kept + summary.skipped[NATIONAL_LINE] == 4089
    assert set(summary.skipped) == {NATIONAL_LINE}
    # No dates in the export: the date given for it, never the day of the import.
    assert {e["checked"] for e in document["organizations"]} == {"2019-08-19"}


# -- the HSDS 3.0 examples -----------------------------------------------------------------------


def test_spec_csv_package(test_kb):
    path = _shared(SPEC / "csv")
    _, summary = import_hsds(path, test_kb, today=TODAY)
    assert (summary.read, summary.kept, summary.skipped) == (1, 0, {"not peer-support related": 1})
    document, summary = import_hsds(path, test_kb, keep_all=True, today=TODAY)
    # The example's datapackage.json is a symlink stored as text; the tables still load.
    assert any("datapackage.json is not a JSON object" in w for w in summary.warnings)
    [entry] = document["organizations"]
    assert entry["id"] == "csv-ac148810-d857-441c-9679-408f346de14b"
    assert entry["name"] == "Community Counselling"
    assert entry["organization"] == "Example Organization Inc."
    assert entry["contacts"] == [
        {"type": "phone", "value": "+44 1234 234567", "label": "ext. 100"},
        {"type": "url", "value": "http://example.com/counselling"},
        {"type": "email", "value": "email@example.com"},
    ]
    assert entry["languages"] == ["Urdu"]
    # FREQ=WEEKLY with BYMONTHDAY=2,3,4: not every week, so a note rather than opening hours.
    assert entry["schedule"].startswith("TH,FR, 10:00-18:00 (not every week) ")
    assert entry["modes"] == ["in-person"]  # location_type physical (its address is postal)
    assert entry["checked"] == "2023-03-15"  # services.csv last_modified
    # Kept by --all, not for peer support: its description (which names anxiety, depression
    # and eating disorders) is not read for links, so it is not offered for those needs.
    assert "conditions" not in entry
    assert "Ages 12-100." in entry["eligibility"]


def test_spec_service_full_json(test_kb):
    document, summary = import_hsds(_shared(SPEC / "service_full.json"), test_kb,
                                    keep_all=True, today=TODAY)
    [entry] = document["organizations"]
    assert entry["id"] == "service-full-ac148810-d857-441c-9679-408f346de14b"
    assert entry["source"] == "service_full.json service id ac148810-d857-441c-9679-408f346de14b"
    assert entry["contacts"][0] == {"type": "phone", "value": "+44 1234 234567",
                                    "label": "ext. 100; Urdu"}
    assert entry["modes"] == ["in-person"]
    assert entry["checked"] == "2023-03-15"
    assert summary.warnings == []


def test_spec_service_list_json_is_one_page(test_kb):
    document, summary = import_hsds(_shared(SPEC / "service_list.json"), test_kb,
                                    keep_all=True, today=TODAY)
    assert [e["id"] for e in document["organizations"]] == [
        "service-list-ac148810-d857-441c-9679-408f346de14b"]
    assert document["organizations"][0]["organization"] == "Example Organization Inc."
    assert summary.warnings == ["service_list.json is page 1 of 10 (10 records in all): only "
                                "this page's 1 are imported"]


def test_spec_organization_full_json_imports_its_services(test_kb):
    document, _ = import_hsds(_shared(SPEC / "organization_full.json"), test_kb, keep_all=True,
                              today=TODAY)
    [entry] = document["organizations"]
    assert entry["name"] == "Community Counselling"
    assert entry["organization"] == "Example Organization Inc."
    assert entry["contacts"][0]["value"] == "+44 1234 234567"


def test_spec_taxonomy_term_list_has_no_services(test_kb):
    document, summary = import_hsds(_shared(SPEC / "taxonomy_term_list.json"), test_kb,
                                    keep_all=True)
    assert document["organizations"] == [] and summary.read == 0
    assert any("taxonomy terms, not services" in w for w in summary.warnings)


# -- small fixtures ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def messy(test_kb):
    calls: list[tuple[int, int]] = []
    document, summary = import_hsds(FIXTURES / "messy", test_kb, today=TODAY,
                                    on_progress=lambda d, t: calls.append((d, t)))
    return document, summary, {e["id"]: e for e in document["organizations"]}, calls


def test_messy_counts_and_reasons(messy):
    _, summary, entries, calls = messy
    assert (summary.read, summary.kept) == (6, 3)
    assert summary.skipped == {"duplicate id": 1, "inactive": 1, "not peer-support related": 1}
    assert list(entries) == ["messy-10", "messy-11", "messy-row-3"]
    assert calls == [(n, 6) for n in range(1, 7)]


def test_messy_blank_id_gets_a_row_id_and_a_warning(messy):
    _, summary, entries, _ = messy
    entry = entries["messy-row-3"]
    assert entry["name"] == "FAMILY RECOVERY WARMLINE" and entry["type"] == "warmline"
    assert entry["source"] == "messy services.csv id (blank, row 3)"
    # Its organization's own number (phones.csv p3, keyed to the organization only).
    assert entry["contacts"] == [{"type": "phone", "value": "305-555-0303",
                                  "label": "organization's main number"}]
    assert entry["modes"] == ["phone"]
    assert "1 services have a blank id: listed by row number instead (messy-row-3)" \
        in summary.warnings


def test_messy_entry_fields(messy):
    _, _, entries, _ = messy
    entry = entries["messy-10"]
    assert entry["description"] == ("Weekly support group for gay, lesbian, bisexual and "
                                    "transgender adults.\n\nFacilitated by peers.")
    assert entry["address"] == "1 Pride Way, Suite 2, Miami, FL 33101"
    assert entry["schedule"] == "Mon-Wed 9:00-17:00; Sat 10:00-12:30"
    assert entry["languages"] == ["English", "Spanish"]
    assert entry["eligibility"] == "Adults 18 and over"
    assert entry["contacts"] == [  # the fax number is left out
        {"type": "phone", "value": "305-555-0101", "label": "ext. 204; Spanish"},
        {"type": "url", "value": "http://www.rainbow.example", "label": "organization website"},
        {"type": "email", "value": "info@rainbow.example"},
    ]
    assert (entry["populations"], entry["settings"]) == (["lgbtq"], ["peer-support-groups"])
    assert entry["checked"] == EXPORT_DATE and entry["local"] is True
    aa = entries["messy-11"]
    assert aa["description"] == "Open AA meeting. The Children's room is available."
    assert aa["conditions"] == ["alcohol"] and "substance-use" in aa["populations"]
    assert aa["schedule"] == "Fri 19:00-20:00"


def test_messy_warnings(messy):
    _, summary, _, _ = messy
    assert "table 'contact' is listed in datapackage.json but contacts.csv is absent" \
        in summary.warnings


def test_messy_output_passes_the_checker(messy, tmp_path):
    document = messy[0]
    problems = _check(document, (str(FIXTURES / "kb.yaml"), (FIXTURES / "kb.yaml").read_bytes()),
                      tmp_path)
    assert _errors(problems) == []
    assert yaml.safe_load(dump_yaml(document)) == document


def test_keep_all_keeps_unrelated_but_not_duplicates(test_kb):
    document, summary = import_hsds(FIXTURES / "messy", test_kb, keep_all=True, today=TODAY)
    assert [e["id"] for e in document["organizations"]] == [
        "messy-10", "messy-11", "messy-row-3", "messy-12"]
    assert summary.skipped == {"duplicate id": 1, "inactive": 1}
    pool = document["organizations"][3]
    # Its only address is a post-office box: not a place to go.
    assert "address" not in pool and "in-person" not in pool.get("modes", ())


def test_prefix_names_the_ids(test_kb):
    document, _ = import_hsds(FIXTURES / "messy", test_kb, prefix="Miami 211", today=TODAY)
    assert document["organizations"][0]["id"] == "miami-211-10"


def test_zip_package(test_kb, tmp_path):
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        # Tables under data/ while datapackage.json names them at the top, as in real exports.
        for file in (FIXTURES / "messy").iterdir():
            inside = file.name if file.name == "datapackage.json" else f"data/{file.name}"
            zipped.write(file, f"export/{inside}")
    document, summary = import_hsds(archive, test_kb, today=TODAY)
    assert [e["id"] for e in document["organizations"]] == [
        "export-10", "export-11", "export-row-3"]
    assert document["organizations"][0]["source"] == "export.zip services.csv id 10"
    assert summary.skipped == {"duplicate id": 1, "inactive": 1, "not peer-support related": 1}


def test_single_json_record(test_kb):
    document, summary = import_hsds(FIXTURES / "warmline.json", test_kb, today=TODAY)
    [entry] = document["organizations"]
    assert entry["id"] == "warmline-5b3c1a2e-8f4d-4c6b-9a7e-2d1f0e9c8b7a"
    assert entry["type"] == "warmline" and entry["settings"] == ["warmlines"]
    assert entry["modes"] == ["phone"]
    assert entry["contacts"][:2] == [
        {"type": "phone", "value": "1-800-555-0123", "label": "Warmline, 8am-10pm"},
        {"type": "text", "value": "555-0124"},
    ]
    assert entry["schedule"] == "Mon-Sun 8:00-22:00"
    assert entry["checked"] == "2025-06-30"
    assert (summary.read, summary.kept) == (1, 1)


def test_broken_json_is_one_clear_line(test_kb):
    with pytest.raises(PeerfindError) as caught:
        import_hsds(FIXTURES / "broken.json", test_kb)
    message = str(caught.value)
    assert message == f"{FIXTURES / 'broken.json'}:4:3: not valid JSON: Expecting ',' delimiter"
    assert "\n" not in message


@pytest.mark.parametrize("name, content, expected", [
    ("missing", None, "no such file or folder"),
    ("bad.zip", b"PK\x03\x04 not really a zip", "not a valid zip file"),
    ("notes.txt", b"hello", "not an HSDS export"),
    ("empty-folder", "dir", "not an HSDS export: no services or organizations table"),
])
def test_unreadable_input_is_one_clear_line(test_kb, tmp_path, name, content, expected):
    path = tmp_path / name
    if content == "dir":
        path.mkdir()
    elif content is not None:
        path.write_bytes(content)
    with pytest.raises(PeerfindError) as caught:
        import_hsds(path, test_kb)
    assert str(caught.value).startswith(f"{path}: {expected}")
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("raw, clean", [
    ("State AttorneyGÇÖs Office", "State Attorney's Office"),
    ("8:30amGÇô5:00pm", "8:30am–5:00pm"),
    ("GÇ£groupGÇ¥", '"group"'),
    ("Sociedad Americana del C+íncer", "Sociedad Americana del Cáncer"),
    ("espa+¦ol e ingl+¬s", "español e inglés"),
    ("in-áAugust", "in August"),
    ("cafÃ©", "café"),
    ("to -Ç-£identify-Ç-¥ risks", 'to "identify" risks'),
    ("plain - text + more", "plain - text + more"),
    ("Jean-Étienne, co-ópera, cost -£5", "Jean-Étienne, co-ópera, cost -£5"),
    ("  line one\\nline two  ", "line one line two"),
])
def test_clean_repairs_text(raw, clean):
    assert _clean(raw, load_rules()) == clean


@pytest.mark.parametrize("rows, text", [
    ([{"weekday": day, "opens_at": "9:00am", "closes_at": "5:00pm"}
      for day in ("Monday", "Tuesday", "Wednesday", "Friday")]
     + [{"weekday": "Thursday", "opens_at": "9:00am", "closes_at": "12:00pm"}],
     "Mon-Wed, Fri 9:00-17:00; Thu 9:00-12:00"),
    ([{"weekday": "Saturday", "opens_at": "4:00pm", "closes_at": "12:00am"}], "Sat 16:00-24:00"),
    ([{"weekday": "mon", "opens_at": "09:00", "closes_at": "12:00"},
      {"weekday": "mon", "opens_at": "13:00", "closes_at": "17:00"}], "Mon 9:00-12:00, 13:00-17:00"),
    ([{"byday": "MO,WE", "opens_at": "18:30:00", "closes_at": "20:00:00",
       "description": "Weekly group"}], "Mon, Wed 18:30-20:00. Weekly group"),
    ([{"original_text": "By appointment GÇô call first"}], "By appointment – call first"),
    ([], ""),
])
def test_schedule_text(rows, text):
    assert _schedule(rows, load_rules()) == text


def test_summary_lines():
    summary = ImportSummary(read=5, kept=2, skipped={"not peer-support related": 2,
                                                     "duplicate id": 1},
                            warnings=["table 'contact' is absent"], source="x.zip")
    assert summary.lines() == [
        "read 5 services from x.zip: kept 2, skipped 3",
        "skipped: 2 not peer-support related, 1 duplicate id",
        "warning: table 'contact' is absent",
    ]

"""Hostile and broken import input (issue 16), honest typing and dates (issue 14): small
packages made here, each case one way a directory can go wrong."""

from __future__ import annotations

import csv
import io
import json
import os
import zipfile
from pathlib import Path

import pytest

from peerfind.errors import PeerfindError, UsageError
from peerfind.importers import Limits, read_import, write_atomic

SERVICE_COLUMNS = ["id", "organization_id", "name", "description", "url", "email"]


def _csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def package(folder: Path, services: list[list[str]], terms: dict[str, list[str]] | None = None,
            resources: list[dict] | None = None) -> Path:
    """A package folder: services (rows after the header), taxonomy codes by service id."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "services.csv").write_text(_csv([SERVICE_COLUMNS, *services]), encoding="utf-8")
    terms = terms or {}
    codes = sorted({code for codes in terms.values() for code in codes})
    (folder / "taxonomy.csv").write_text(_csv([["id", "name"], *[[c, c] for c in codes]]))
    (folder / "services_taxonomy.csv").write_text(_csv(
        [["id", "service_id", "taxonomy_id"],
         *[[f"{sid}-{c}", sid, c] for sid, cs in terms.items() for c in cs]]))
    (folder / "datapackage.json").write_text(json.dumps({
        "name": "test", "resources": resources or [
            {"name": "service", "path": "services.csv"},
            {"name": "taxonomy", "path": "taxonomy.csv"},
            {"name": "service_taxonomy", "path": "services_taxonomy.csv"}]}))
    return folder


def records(path: Path, kb, **options) -> tuple[dict, object]:
    options.setdefault("updated", "2025-01-01")
    job = read_import(path, kb, **options)
    found = {r["id"].split("-", 1)[1]: r for r in job.records()}
    return found, job.summary


GROUP = ["1", "", "PEER SUPPORT GROUP", "A peer support group.", "", ""]


# -- limits ---------------------------------------------------------------------------------------


def test_zip_bomb_is_refused_before_unpacking(kb, tmp_path):
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("datapackage.json", "{}")
        # 20 MB of one letter packs into about 20 KB: a thousand times smaller.
        zipped.writestr("services.csv", "id,name,description\n1,x," + "a" * 20_000_000)
    with pytest.raises(PeerfindError) as caught:
        read_import(archive, kb)
    assert "looks like a zip bomb" in str(caught.value) and "\n" not in str(caught.value)


def test_total_size_limit(kb, tmp_path):
    path = package(tmp_path / "p", [GROUP])
    with pytest.raises(PeerfindError, match="tables larger than 100 bytes in all"):
        list(read_import(path, kb, limits=Limits(max_total_bytes=100)).records())


def test_a_field_over_the_limit_skips_its_record_not_the_table(kb, tmp_path):
    huge = ["2", "", "HUGE SUPPORT GROUP", "x" * 1_500_000, "", ""]
    other = ["3", "", "ANOTHER SUPPORT GROUP", "A support group.", "", ""]
    path = package(tmp_path / "p", [GROUP, huge, other])
    found, summary = records(path, kb)
    assert sorted(found) == ["1", "3"]
    assert summary.skipped.get("a field over the size limit") == 1
    assert any("1 rows skipped, each with a field over 1,000,000 characters" in w
               for w in summary.warnings)


def test_deep_json_is_one_clear_line(kb, tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(PeerfindError) as caught:
        read_import(path, kb)
    assert "JSON nested more than 64 levels deep" in str(caught.value)


def test_huge_id_skips_the_record(kb, tmp_path):
    path = package(tmp_path / "p", [GROUP, ["9" * 5000, "", "LONG ID SUPPORT GROUP", "", "", ""]])
    found, summary = records(path, kb)
    assert list(found) == ["1"] and summary.skipped.get("an id over the size limit") == 1


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_as_a_table_is_refused_not_waited_on(kb, tmp_path):
    path = package(tmp_path / "p", [GROUP])
    (path / "taxonomy.csv").unlink()
    os.mkfifo(path / "taxonomy.csv")
    with pytest.raises(PeerfindError, match="not a regular file"):
        list(read_import(path, kb).records())


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_dev_zero_as_a_table_or_an_input_is_refused(kb, tmp_path):
    path = package(tmp_path / "p", [GROUP])
    (path / "taxonomy.csv").unlink()
    (path / "taxonomy.csv").symlink_to("/dev/zero")
    with pytest.raises(PeerfindError, match="not a regular file"):
        list(read_import(path, kb).records())
    with pytest.raises(PeerfindError, match="not a regular file"):
        read_import(Path("/dev/zero"), kb)


def test_escapes_in_table_and_member_names_are_shown_escaped(run, tmp_path):
    osc52 = "\x1b]52;c;SGVsbG8=\x07"
    path = package(tmp_path / "p", [GROUP], resources=[
        {"name": "service", "path": "services.csv"},
        {"name": "contact", "path": f"{osc52}contacts.csv"}])
    result = run("import-hsds", str(path), "-o", "-", "--updated", "2025-01-01")
    assert result.code == 0, result.err
    assert "\x1b" not in result.err and "\x07" not in result.err
    assert "\\x1b]52;c;SGVsbG8=\\x07contacts.csv is absent" in result.err
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("datapackage.json", "{}")
        zipped.writestr("\x1b[2Jservices.csv", "a" * 5_000_000)
    result = run("import-hsds", str(archive), "-o", "-")
    assert result.code == 2 and "\x1b" not in result.err and "\\x1b[2J" in result.err


def test_only_safe_addresses_are_kept(kb, tmp_path):
    path = package(tmp_path / "p", [
        ["1", "", "PEER SUPPORT GROUP", "", "javascript:alert(1)", "javascript:alert(1)"],
        ["2", "", "OTHER SUPPORT GROUP", "", "data:text/html,<script>x</script>", ""],
        ["3", "", "THIRD SUPPORT GROUP", "", "www.example.org", "help@example.org"]])
    found, _ = records(path, kb)
    assert "contacts" not in found["1"] and "contacts" not in found["2"]
    assert found["3"]["contacts"] == [{"type": "url", "value": "http://www.example.org"},
                                      {"type": "email", "value": "help@example.org"}]


# -- honest typing and dates ---------------------------------------------------------------------


def test_lines_keep_the_directorys_kind(kb, tmp_path):
    path = package(tmp_path / "p", [
        ["1", "", "TAPS", "Support for families grieving a military death.", "", ""],
        ["2", "", "HELPLINE", "Information on dementia care.", "", ""],
        ["3", "", "24 HOUR HELPLINE", "Suicide prevention.", "", ""],
        ["4", "", "HELPLINE 2-1-1", "Information and referral.", "", ""],
    ], terms={"1": ["PN-8100.1000-800", "RP-1400.8000-100", "RP-1500.1400-250"],
              "2": ["RP-1500.1400-500", "PN-8100.5000"],
              "3": ["RP-1500.1400-800"],
              "4": ["TJ-3000.8500-850", "RP-1500.1400-800"]})
    found, _ = records(path, kb)
    assert found["1"]["type"] == "support-line"  # a bereavement program, not a crisis line
    assert found["2"]["type"] == "support-line"  # a dementia helpline, not a crisis line
    assert found["3"]["type"] == "crisis-line"  # the taxonomy says suicide prevention hotline
    assert found["4"]["type"] == "information-line"  # a 211


def test_national_lines_are_folded_and_closed_services_dropped(kb, tmp_path):
    path = package(tmp_path / "p", [
        ["1", "", "NATIONAL SUICIDE PREVENTION LIFELINE", "", "", ""],
        ["2", "", "TREVOR TEXT", "", "", ""],
        ["3", "", "NEDA HELPLINE", "Eating disorder support by phone.", "", ""],
        ["4", "", "LOCAL SUICIDE HOTLINE", "", "", ""],
    ], terms={"1": ["RP-1500.1400-800"], "2": ["RP-1500.1400-260"],
              "3": ["RP-1500.1400-500"], "4": ["RP-1500.1400-800"]})
    (path / "organizations.csv").write_text(_csv([["id", "name"], ["t", "THE TREVOR PROJECT"]]))
    services = (path / "services.csv").read_text().replace("\n2,,TREVOR", "\n2,t,TREVOR")
    (path / "services.csv").write_text(services)
    found, summary = records(path, kb)
    assert list(found) == ["4"]
    assert summary.skipped["repeat a checked national line"] == 2
    assert summary.skipped["closed according to the checked facts"] == 1
    assert any("'lifeline-988'" in w for w in summary.warnings)
    assert any("'trevor-project'" in w for w in summary.warnings)


def test_dates_are_the_datas_own(kb, tmp_path):
    path = package(tmp_path / "p", [GROUP])
    found, _ = records(path, kb, updated=None)
    assert "updated" not in found["1"]  # never the day of the import
    archive = tmp_path / "datapackage-1566177582.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for file in path.iterdir():
            zipped.write(file, file.name)
    job = read_import(archive, kb)
    [record] = job.records()
    assert record["updated"] == "2019-08-19"
    assert "dated 2019-08-19 by the Unix time in the file name" in job.summary.warnings


# -- writing --------------------------------------------------------------------------------------


def test_write_atomic_refuses_symlinks_and_existing_files(tmp_path):
    target = tmp_path / "target.yaml"
    target.write_text("precious")
    link = tmp_path / "link.yaml"
    link.symlink_to(target)
    with pytest.raises(UsageError, match="symbolic link"):
        write_atomic(link, lambda temp: temp.write_text("x"), force=True)
    with pytest.raises(UsageError, match="already exists; add --force"):
        write_atomic(target, lambda temp: temp.write_text("x"))
    assert target.read_text() == "precious"


def test_write_atomic_leaves_the_old_file_when_writing_fails(tmp_path):
    target = tmp_path / "out.yaml"
    target.write_text("old")

    def fail(temp: Path) -> None:
        temp.write_text("half")
        raise OSError(28, "No space left on device")

    with pytest.raises(UsageError, match="No space left on device"):
        write_atomic(target, fail, force=True)
    assert target.read_text() == "old" and os.listdir(tmp_path) == ["out.yaml"]
    write_atomic(target, lambda temp: temp.write_text("new"), force=True)
    assert target.read_text() == "new" and os.listdir(tmp_path) == ["out.yaml"]

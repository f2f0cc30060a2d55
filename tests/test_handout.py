"""The printable handout (`--format html`): what is on it and in which order, what it may not
contain (scripts, outside resources, markup from the data), its QR codes, its words in each
language, and one printed page in a real browser."""

from __future__ import annotations

import io
import re
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peerfind.language.phrases import CATALOGS, long_date, phrases
from peerfind.output.handout import ONE_PAGE, handout_outline
from peerfind.output.html import document, safe_href, sheet_html, write_html

from handout_helpers import MADE, Page, answer, browser, decode_svg, pdf_pages, pdf_text, \
    print_to_pdf, svg_codes

NEW_MOM = ("new mom feeling overwhelmed", {"location": "Austin, TX"})
# Tags and attributes the page is made of; anything else came from the data.
TAGS = {"html", "head", "meta", "title", "style", "body", "article", "h1", "h2", "header", "span",
        "footer", "section", "div", "ul", "li", "p", "a", "q", "b", "svg", "path"}
ATTRIBUTES = {"lang", "charset", "name", "content", "http-equiv", "class", "href", "data-qr",
              "viewbox", "d", "stroke", "aria-hidden", "focusable"}


def _page(kb, need=NEW_MOM, **kw) -> str:
    result, lines = answer(kb, need[0], **need[1])
    out = io.StringIO()
    write_html(result, out, crisis_lines=lines, made=MADE, **kw)
    return out.getvalue()


@pytest.fixture(scope="module")
def new_mom(kb):
    return _page(kb)


# -- what is on it, in order --------------------------------------------------------------

def test_sections_come_in_the_promised_order(new_mom):
    marks = ['class="crisis"', 'class="for"', 'class="contacts"', 'class="searches"',
             'class="advice"', 'class="sources"']
    where = [new_mom.index(mark) for mark in marks]
    assert where == sorted(where)


def test_crisis_box_is_always_there_with_988_and_911(kb, new_mom):
    result, _ = answer(kb, *NEW_MOM[:1], **NEW_MOM[1])
    assert not result["crisis"]["detected"]
    page = Page(new_mom)
    assert "tel:988" in page.hrefs and "tel:911" in page.hrefs
    crisis = new_mom[new_mom.index('class="crisis"'):new_mom.index('class="for"')]
    assert "988" in crisis and "911" in crisis


def test_a_crisis_read_leads_with_its_own_lines_and_message(kb):
    result, lines = answer(kb, "i want to kill myself")
    assert result["crisis"]["detected"] and not result["emergency"]["detected"]
    blocks = handout_outline(result, crisis_lines=[], made=MADE)
    crisis = next(b for b in blocks if b.key == "crisis")
    assert crisis.intro == result["crisis"]["message"]
    names = [i.title for i in crisis.items]
    assert names[0] == result["crisis"]["resources"][0]["name"]
    assert names[-1].startswith("911")  # under 988: no emergency was read


def test_an_emergency_leads_with_911_and_what_to_do_now_with_sources(kb):
    result, lines = answer(kb, "my friend took a bottle of pills and won't wake up")
    assert result["emergency"]["detected"]
    blocks = {b.key: b for b in handout_outline(result, crisis_lines=lines, made=MADE)}
    crisis = blocks["crisis"]
    assert crisis.intro == result["emergency"]["message"]
    steps = [s["text"] for k in result["emergency"]["kinds"] for s in k["steps"]]
    assert [i.title for i in crisis.items][1:1 + len(steps)] == steps
    sources = " ".join(" ".join(i.lines) for i in blocks["sources"].items)
    for kind in result["emergency"]["kinds"]:
        for step in kind["steps"]:
            assert step["source"] in sources


def test_the_knowledge_base_911_line_is_used_once(kb):
    result, lines = answer(kb, *NEW_MOM[:1], **NEW_MOM[1])
    assert [o["id"] for o in lines if o["kind"] == "emergency"] == ["emergency-911"]
    crisis = next(b for b in handout_outline(result, crisis_lines=lines, made=MADE)
                  if b.key == "crisis")
    titles = [i.title for i in crisis.items]
    assert sum(t.startswith("911") for t in titles) == 1
    emergency = next(i for i in crisis.items if i.title.startswith("911"))
    assert "fcc.gov" in emergency.source  # from the knowledge base, not built in


def test_a_knowledge_base_without_911_still_gets_the_line(mini_kb):
    result, _ = answer(mini_kb, "vet drinking")
    crisis = next(b for b in handout_outline(result, crisis_lines=[], made=MADE)
                  if b.key == "crisis")
    assert crisis.items[0].title.startswith("911") and crisis.items[0].lines[0].href == "tel:911"


def test_who_it_is_for_and_the_date(new_mom):
    head = new_mom[new_mom.index("<header>"):new_mom.index("</header>")]
    assert "New and expecting parents" in head and "Austin, TX" in head
    assert "November 29, 2026" in head


def test_a_typical_page_keeps_to_its_limits(kb, new_mom):
    result, _ = answer(kb, *NEW_MOM[:1], **NEW_MOM[1])
    assert len(result["searches"]) > ONE_PAGE.searches
    blocks = {b.key: b for b in handout_outline(result, made=MADE)}
    assert len(blocks["contacts"].items) == ONE_PAGE.contacts
    assert len(blocks["searches"].items) == ONE_PAGE.searches
    assert len(blocks["advice"].items) == ONE_PAGE.advice
    full = {b.key: b for b in handout_outline(result, made=MADE, full=True)}
    assert len(full["searches"].items) == len(result["searches"])
    assert sum(len(i.lines) for i in full["advice"].items) == \
        sum(len(a["points"]) for a in result["advice"])


def test_contacts_with_a_number_come_first(kb):
    result, lines = answer(kb, *NEW_MOM[:1], **NEW_MOM[1])
    contacts = next(b for b in handout_outline(result, crisis_lines=lines, made=MADE)
                    if b.key == "contacts")
    by_name = {o["name"]: o for o in result["organizations"]}
    for item in contacts.items:
        assert any(c["type"] in ("phone", "text", "dial") for c in by_name[item.title]["contacts"])


def test_contacts_already_in_the_crisis_box_are_not_repeated(kb):
    result, lines = answer(kb, "gay teen depressed")
    blocks = {b.key: b for b in handout_outline(result, crisis_lines=lines, made=MADE)}
    in_box = {i.title for i in blocks["crisis"].items}
    assert not in_box & {i.title for i in blocks["contacts"].items}


def test_local_listings_show_address_and_hours_and_take_the_room_of_national_lines(kb):
    result, lines = answer(kb, *NEW_MOM[:1], **NEW_MOM[1])
    listing = dict(result["organizations"][0], id="local-1", name="Moms Circle", local=True,
                   address="1 Main St, Austin, TX", schedule="Tue 6-7pm", distance="1.2 mi")
    result["local_services"] = [listing, dict(listing, id="local-2"), dict(listing, id="local-3")]
    blocks = {b.key: b for b in handout_outline(result, crisis_lines=lines, made=MADE)}
    lines_text = " ".join(str(x) for x in blocks["local"].items[0].lines)
    for expected in ("1 Main St, Austin, TX", "Tue 6-7pm", "1.2 mi"):
        assert expected in lines_text
    assert len(blocks["contacts"].items) == 1
    sources = " ".join(i.title for i in blocks["sources"].items)
    assert "Moms Circle" in sources


def test_sources_name_every_line_shown_with_its_checked_date(kb, new_mom):
    result, lines = answer(kb, *NEW_MOM[:1], **NEW_MOM[1])
    blocks = {b.key: b for b in handout_outline(result, crisis_lines=lines, made=MADE)}
    sources = {i.title: i.lines for i in blocks["sources"].items}
    for key in ("crisis", "contacts"):
        for item in blocks[key].items:
            assert item.title in sources
    org = result["organizations"][0]
    assert any(org["checked"] in line for line in sources[org["name"]])


def test_one_number_to_call_or_text_is_one_line(new_mom):
    assert "Call or text 988" in new_mom
    assert "Text 988" not in new_mom


# -- what it may not contain --------------------------------------------------------------

def test_self_contained_no_scripts_and_nothing_fetched(new_mom):
    page = Page(new_mom)
    assert {t for t, _ in page.tags} <= TAGS
    assert "<script" not in new_mom.lower() and " src=" not in new_mom
    assert "@import" not in new_mom and "url(" not in new_mom
    assert all(a.get("http-equiv") != "Content-Security-Policy"
               or "default-src 'none'" in a["content"] for t, a in page.tags if t == "meta")
    assert "@page" in new_mom and "@media print" in new_mom


HOSTILE = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>',
           "javascript:alert(1)", "</style><b>x</b>", "{{x}} [bold]y[/bold]", "\x1b[31mred",
           "data:text/html,<svg onload=alert(1)>"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(HOSTILE) | st.text(max_size=40),
       url=st.sampled_from(HOSTILE) | st.text(max_size=40),
       where=st.sampled_from(HOSTILE) | st.text(max_size=20))
def test_hostile_data_cannot_add_markup_or_links(kb, name, url, where):
    result, lines = answer(kb, *NEW_MOM[:1], **NEW_MOM[1])
    listing = dict(result["organizations"][0], id="x", name=name, local=True, address=where,
                   schedule=name, contacts=[
                       {"type": "url", "value": url, "keyword": None, "label": name},
                       {"type": "phone", "value": name, "keyword": None, "label": where},
                       {"type": "email", "value": url, "keyword": None, "label": None}])
    result["local_services"] = [listing]
    result["input"]["location"] = where
    result["matches"][0]["name"] = name
    result["searches"][0].update(query=name, url=url, why=where)
    out = io.StringIO()
    write_html(result, out, crisis_lines=lines, made=MADE)
    page = Page(out.getvalue())
    for tag, attributes in page.tags:
        assert tag in TAGS
        assert set(attributes) <= ATTRIBUTES
    for href in page.hrefs + page.qr_payloads:
        assert href.lower().startswith(("https://", "http://", "tel:", "sms:", "mailto:"))
        assert not re.search(r"[\s<>\"']", href)


@pytest.mark.parametrize("url, safe", [
    ("https://988lifeline.org/chat", True), ("http://www.rainbow.example", True),
    ("tel:988", True), ("sms:741741", True), ("mailto:info@rainbow.example", True),
    ("javascript:alert(1)", False), ("JaVaScRiPt:alert(1)", False), ("data:text/html,x", False),
    ("file:///etc/passwd", False), ("//evil.example", False), ("https://a.example/\"x", False),
    ("ftp://a.example", False)])
def test_only_web_phone_message_and_mail_links(url, safe):
    assert (safe_href(url) is not None) is safe


# -- QR codes -----------------------------------------------------------------------------

def test_every_web_address_has_a_qr_code_beside_it(kb, new_mom):
    result, lines = answer(kb, *NEW_MOM[:1], **NEW_MOM[1])
    page = Page(new_mom)
    web = [h for h in page.hrefs if h.startswith("http")]
    assert set(web) == set(page.qr_payloads)
    assert len(svg_codes(new_mom)) == len(page.qr_payloads)
    shown = [s["url"] for s in result["searches"][:ONE_PAGE.searches]]
    assert set(shown) <= set(page.qr_payloads)


def test_qr_codes_decode_back_to_their_links(new_mom):
    pytest.importorskip("zxingcpp", reason="zxing-cpp (test extra) reads the QR codes back")
    pytest.importorskip("PIL", reason="Pillow (test extra) draws the QR codes to read them")
    payloads = Page(new_mom).qr_payloads
    decoded = [decode_svg(svg) for svg in svg_codes(new_mom)]
    assert decoded == payloads and all(payloads)


# -- words --------------------------------------------------------------------------------

def test_every_language_has_every_phrase_with_the_same_placeholders():
    english = CATALOGS["en"]
    for lang, catalog in CATALOGS.items():
        assert set(catalog) == set(english), lang
        for key, value in english.items():
            if isinstance(value, str):
                assert set(re.findall(r"{(\w+)}", catalog[key])) == \
                    set(re.findall(r"{(\w+)}", value)), (lang, key)


def test_a_spanish_answer_gets_a_spanish_page(kb):
    result, lines = answer(kb, *NEW_MOM[:1], **NEW_MOM[1])
    result["input"]["lang"] = "es"
    out = io.StringIO()
    write_html(result, out, crisis_lines=lines, made=MADE)
    page = out.getvalue()
    assert '<html lang="es">' in page
    words = phrases("es")
    for key in ("crisis.title", "contacts.title", "searches.title", "advice.title"):
        assert words[key] in page
    assert long_date(MADE, "es") == "29 de noviembre de 2026" and "29 de noviembre" in page
    assert "Llame al 988" in page
    assert phrases("en")["crisis.title"] not in page


@pytest.mark.parametrize("lang, catalog", [("es_US.UTF-8", "es"), ("es-MX", "es"),
                                           ("en_US", "en"), ("fr", "en"), (None, "en")])
def test_language_codes_find_their_catalog(lang, catalog):
    assert phrases(lang) is CATALOGS[catalog]


# -- many pages in one file ---------------------------------------------------------------

def test_several_sheets_share_one_document_with_page_breaks(kb):
    sheets = []
    for need in ("new mom feeling overwhelmed", "marine vet drinking too much"):
        result, lines = answer(kb, need)
        sheets.append(sheet_html(handout_outline(result, crisis_lines=lines, made=MADE)))
    text = "".join(document(sheets))
    assert text.count("<article") == 2 and text.count("<style>") == 1
    assert ".sheet + .sheet { break-before: page; }" in text


# -- printed, in a real browser -----------------------------------------------------------

def _need_browser():
    if browser() is None:
        pytest.skip("no Chromium here (apt-get install chromium; .ci/run installs it)")
    if not (shutil.which("pdfinfo") and shutil.which("pdftotext")):
        pytest.skip("no poppler-utils here (apt-get install poppler-utils)")


@pytest.mark.parametrize("paper", ["letter", "A4"])
def test_the_new_mom_handout_prints_on_one_page(kb, tmp_path, paper):
    _need_browser()
    result, lines = answer(kb, *NEW_MOM[:1], **NEW_MOM[1])
    html_file, pdf = tmp_path / "sheet.html", tmp_path / "sheet.pdf"
    with open(html_file, "w", encoding="utf-8") as out:
        write_html(result, out, crisis_lines=lines, made=MADE, paper=paper)
    print_to_pdf(html_file, pdf)
    assert pdf_pages(pdf) == 1
    text = " ".join(pdf_text(pdf).split())
    assert "988" in text and "911" in text
    for org in result["organizations"][:2]:
        assert org["name"] in text and org["phone"] in text


def test_printed_qr_codes_scan_back_to_their_links(kb, tmp_path):
    _need_browser()
    zxingcpp = pytest.importorskip("zxingcpp", reason="zxing-cpp (test extra) reads QR codes")
    image_module = pytest.importorskip("PIL.Image", reason="Pillow (test extra) opens the scan")
    import subprocess

    page = _page(kb)
    html_file, pdf = tmp_path / "sheet.html", tmp_path / "sheet.pdf"
    html_file.write_text(page, encoding="utf-8")
    print_to_pdf(html_file, pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "200", str(pdf), str(tmp_path / "scan")],
                   check=True, timeout=60)
    scan = image_module.open(next(tmp_path.glob("scan*.png")))
    found = {code.text for code in zxingcpp.read_barcodes(scan)}
    assert found == set(Page(page).qr_payloads)


@pytest.mark.parametrize("need", [
    ("marine vet drinking too much", {"location": "San Diego, CA"}),
    ("gay teen depressed", {"location": "Portland, OR"}),
    ("my son uses opioids", {"location": "Dayton, OH"}),
    ("i want to kill myself", {"location": "Denver, CO"}),
    ("older adult lonely and grieving", {"location": "Tampa, FL"}),
])
def test_other_typical_needs_print_on_one_page(kb, tmp_path, need):
    _need_browser()
    html_file, pdf = tmp_path / "sheet.html", tmp_path / "sheet.pdf"
    html_file.write_text(_page(kb, need), encoding="utf-8")
    print_to_pdf(html_file, pdf)
    assert pdf_pages(pdf) == 1


@pytest.mark.parametrize("environ, expected", [({"SOURCE_DATE_EPOCH": "1795996800"}, "2026-11-30"),
                                               ({"SOURCE_DATE_EPOCH": "soon"}, None), ({}, None)])
def test_the_date_made_can_be_fixed_for_reproducible_pages(environ, expected):
    from datetime import date

    from peerfind.output.handout import made_date

    made = made_date(environ)
    assert made.isoformat() == expected if expected else made == date.today()


def test_the_spanish_page_prints_on_one_page_too(kb, tmp_path):
    _need_browser()
    result, lines = answer(kb, *NEW_MOM[:1], **NEW_MOM[1])
    result["input"]["lang"] = "es"
    html_file, pdf = tmp_path / "hoja.html", tmp_path / "hoja.pdf"
    with open(html_file, "w", encoding="utf-8") as out:
        write_html(result, out, crisis_lines=lines, made=MADE)
    print_to_pdf(html_file, pdf)
    assert pdf_pages(pdf) == 1
    assert "Líneas de crisis y de emergencia" in " ".join(pdf_text(pdf).split())

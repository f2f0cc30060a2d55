"""Keep peerfind's message catalogs up to date: python tools/catalogs.py [extract|compile|all]

extract  collect every gettext("...") / ngettext(...) / N_("...") in src/peerfind into
         src/peerfind/locale/peerfind.pot and merge new messages into each language's .po
compile  compile each .po into the .mo file that ships in the package
all      both (the default)

Needs Babel: pip install -e '.[test]'. A new language: pybabel init -D peerfind
-i src/peerfind/locale/peerfind.pot -d src/peerfind/locale -l LANG, then translate and compile.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "src" / "peerfind" / "locale"
TEMPLATE = LOCALE / "peerfind.pot"


def _pybabel(*args: str) -> None:
    from babel.messages.frontend import CommandLineInterface

    CommandLineInterface().run(["pybabel", "-q", *args])


def extract() -> None:
    _pybabel("extract", "-F", str(ROOT / "babel.cfg"), "-k", "N_", "--no-location",
             "--sort-output", "--project", "peerfind", "--copyright-holder",
             "peerfind developers", "-o", str(TEMPLATE), str(ROOT))
    if any(LOCALE.glob("*/LC_MESSAGES/peerfind.po")):
        _pybabel("update", "-D", "peerfind", "-i", str(TEMPLATE), "-d", str(LOCALE),
                 "--no-fuzzy-matching", "--ignore-obsolete")


def compile_catalogs() -> None:
    _pybabel("compile", "-D", "peerfind", "-d", str(LOCALE), "--statistics")


def main(argv: list[str]) -> int:
    step = argv[0] if argv else "all"
    if step not in ("extract", "compile", "all"):
        print(__doc__, file=sys.stderr)
        return 2
    if step in ("extract", "all"):
        extract()
    if step in ("compile", "all"):
        compile_catalogs()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

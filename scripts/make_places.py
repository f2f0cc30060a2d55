"""Make src/peerfind/data/places.tsv from the `zipcodes` and `us` packages.

US place names for reading a place out of a need ("I live outside Spokane", "in Dayton, Ohio",
"rural Wyoming"). Run it again when either package is updated:

    pip install zipcodes us && python scripts/make_places.py

One line a place: `key<TAB>kind<TAB>name<TAB>state<TAB>lat<TAB>lon<TAB>zips`, where `key` is the
place's name as peerfind normalises text (lower case, no accents or punctuation), `kind` is
`state`, `code` (a state's two letters), `city` or `county`, and `zips` counts the place's ZIP
codes (roughly its size). Three parts, each sorted by key, so that a need reads only what it
needs: the states; the places a need may name bare ("in Spokane": counties and cities with at
least MIN_ZIPS ZIP codes); every other town ("Hope, ID"). The first line gives the parts'
lengths in bytes.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "peerfind" / "data" / "places.tsv"
# A city with this many ZIP codes may be named bare ("in Spokane"); smaller towns need their state.
MIN_ZIPS = 3


def key(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return re.sub(r"[^0-9a-z]+", " ", re.sub(r"['\u2019]", "", text)).strip()


# How people shorten the first word of a place name: "St. Louis", "Ft Worth", "Mt Vernon".
_SHORT = {"saint": "st", "fort": "ft", "mount": "mt", "port": "pt"}


def _spellings(name: str) -> list[str]:
    first, _, rest = name.partition(" ")
    if first in _SHORT and rest:
        return [name, f"{_SHORT[first]} {rest}"]
    return [name]


def main(out: Path = OUT) -> int:
    import us
    import zipcodes

    rows: dict[tuple[str, str, str], list] = {}
    states = {s.abbr: s.name for s in us.states.STATES_AND_TERRITORIES + [us.states.DC]}
    # The two-letter codes people write: the states, DC and Puerto Rico ("AS" for American
    # Samoa would read every "as" as a place).
    codes_in_use = {s.abbr for s in us.states.STATES} | {"DC", "PR"}
    for abbr, name in states.items():
        rows[(key(name), "state", abbr)] = [name, abbr, "", "", 0]
        if abbr in codes_in_use:
            rows[(key(abbr), "code", abbr)] = [name, abbr, "", "", 0]
    places: dict[tuple[str, str, str], list[tuple[float, float]]] = defaultdict(list)
    for z in zipcodes.list_all():
        if not z["active"] or z["state"] not in states or z["zip_code_type"] == "MILITARY":
            continue
        point = (float(z["lat"]), float(z["long"]))
        places[("city", z["city"], z["state"])].append(point)
        if z.get("county"):
            places[("county", z["county"], z["state"])].append(point)
    for (kind, name, state), points in places.items():
        lat = sum(p[0] for p in points) / len(points)
        lon = sum(p[1] for p in points) / len(points)
        row = [name, state, f"{lat:.4f}", f"{lon:.4f}", len(points)]
        for spelling in _spellings(key(name)):
            rows[(spelling, kind, state)] = row
    parts: list[list[str]] = [[], [], []]
    for (name_key, kind, _), row in sorted(rows.items()):
        part = 0 if kind in ("state", "code") else 1 if kind == "county" or row[4] >= MIN_ZIPS else 2
        parts[part].append("\t".join([name_key, kind, *map(str, row)]) + "\n")
    texts = ["".join(part).encode("utf-8") for part in parts]
    header = f"# places: states {len(texts[0])} common {len(texts[1])} towns {len(texts[2])}\n"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(header.encode() + b"".join(texts))
    print(f"{out}: {len(rows)} places", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT))

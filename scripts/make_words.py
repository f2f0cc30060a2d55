"""Make src/peerfind/data/english-words.txt from the `wordfreq` package.

The commonest English words, so that the speller never turns a real word into an alias it only
looks like ("trial" is not "tribal", "bother" is not "brother", "Queens" is not "queer").
Run it again when wordfreq is updated:

    pip install wordfreq && python scripts/make_words.py

One word a line, as peerfind normalises text (lower case, apostrophes dropped: "theyre"), only
letters a to z, sorted. The first line names the source. wordfreq's data is under the Creative
Commons Attribution-ShareAlike 4.0 licence (https://github.com/rspeer/wordfreq), and so is
this list made from it.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "peerfind" / "data" / "english-words.txt"
COUNT = 50_000  # the commonest words wordfreq lists; typos people make are rarer than these
SHORTEST = 5  # the speller leaves shorter words alone (knowledge/index.py MIN_CORRECTED_LENGTH)


def words(count: int = COUNT) -> list[str]:
    from wordfreq import top_n_list

    kept = {w.replace("'", "").replace("\u2019", "") for w in top_n_list("en", count)}
    return sorted(w for w in kept if len(w) >= SHORTEST and re.fullmatch(r"[a-z]+", w))


def main(out: Path = OUT) -> int:
    from importlib.metadata import version

    header = (f"# The {COUNT:,} commonest English words in wordfreq {version('wordfreq')}"
              " (CC BY-SA 4.0), five letters or more: scripts/make_words.py\n")
    out.write_text(header + "\n".join(words()) + "\n", encoding="utf-8")
    print(f"wrote {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""QR codes as inline SVG, so a printed handout's web addresses can be scanned with a phone.

segno is pure Python, has no dependencies, follows ISO/IEC 18004 and writes compact SVG paths;
it is imported here only, when a handout is made (about 50 ms that a plain search never pays).
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=256)
def qr_svg(data: str) -> str:
    """An <svg> QR code of `data`, sized by its viewBox (CSS sets the printed size).

    Error correction M (15%) survives a smudged or folded page; segno raises it further when
    that costs no extra size. The quiet zone is 2 modules: the page around it is white.
    """
    import segno

    code = segno.make(data, error="m", micro=False, boost_error=True)
    svg = code.svg_inline(scale=1, border=2, omitsize=True, svgclass="qr", lineclass=None,
                          dark="#000")
    # The link text beside it is what a screen reader should read, not the picture.
    return svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)

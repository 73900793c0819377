"""Stage 1: line endings, odd spaces, ligatures and BOM made uniform before anything else
looks at the text."""

from __future__ import annotations

import re

# The Latin ligatures of Unicode's Alphabetic Presentation Forms, as their letters.
LIGATURES = str.maketrans(
    {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
     "\ufb05": "st", "\ufb06": "st"}
)
_HAS_LIGATURE = re.compile("[\ufb00-\ufb06]").search


def normalise(text: str) -> str:
    """LF line endings, no BOM, ordinary spaces, no ligatures, no trailing whitespace,
    blank lines empty."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    text = re.sub(r"[\u00a0\u2007\u202f\u2009\t]", " ", text)
    text = re.sub(r"[\u200b\u200e\u200f\ufeff]", "", text)
    if _HAS_LIGATURE(text):
        # OCR and PDF text keep a font's ligatures: "ﬁrst" would never match "first" in a
        # search. Only these letters: NFKC would also rewrite "²", "½" and full-width text.
        text = text.translate(LIGATURES)
    return "\n".join(line.rstrip() if line.strip() else "" for line in text.split("\n"))

"""Stage 1: line endings, odd spaces and BOM made uniform before anything else looks at the text."""

from __future__ import annotations

import re


def normalise(text: str) -> str:
    """LF line endings, no BOM, ordinary spaces, no trailing whitespace, blank lines empty."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    text = re.sub(r"[\u00a0\u2007\u202f\u2009\t]", " ", text)
    text = re.sub(r"[\u200b\u200e\u200f\ufeff]", "", text)
    return "\n".join(line.rstrip() if line.strip() else "" for line in text.split("\n"))

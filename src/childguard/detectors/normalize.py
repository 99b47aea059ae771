"""Text normalisation shared by every lexicon: patterns are written against its output.

Chat is written fast: capitals, repeated letters, Vietnamese typed without tone marks,
full-width characters. Lexicon patterns are matched against text that is NFKC-folded,
lower-case, stripped of diacritics (so ``tuổi`` and ``tuoi`` match one pattern, and
``¿cuántos años?`` matches ``cuantos anos``), with runs of 3+ identical letters (not digits) cut to
two and whitespace collapsed. Chinese characters pass through unchanged.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_REPEATS = re.compile(r"([^\W\d_])\1{2,}")  # letters only: "116 111" and "$1000" stay intact
_SPACES = re.compile(r"\s+")
_SPECIAL = str.maketrans({"đ": "d", "Đ": "d", "ł": "l", "ø": "o", "’": "'", "‘": "'", "`": "'"})


def strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.translate(_SPECIAL))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# Several detectors read the same message; normalising once per text saves most of the cost.
@lru_cache(maxsize=8192)
def normalize(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    bare = strip_marks(folded)
    bare = _REPEATS.sub(r"\1\1", bare)
    return _SPACES.sub(" ", bare).strip()

"""Which language a chat message is in, so that no language is silently left unchecked.

Language identification does not gate detection (every lexicon still runs on every message,
see ``text_patterns``); it tells people which messages no lexicon could read. So a guess must
be right when it says "this is Arabic": a wrong "unsupported language" note on an English
conversation is noise that reviewers learn to ignore. ``identify`` answers ``und``
(undetermined) rather than guess on text that is too short or too ambiguous.

How, cheapest first:

* the writing system decides where it can: Han characters are Chinese, kana Japanese, Hangul
  Korean, Thai script Thai, and so on. A script shared by several languages is settled by the
  letters only one of them uses (Ukrainian ї, Urdu ے, ...), else by py3langid restricted to
  that script's languages, else it goes to the script's most used language (Cyrillic: Russian);
* Latin script: letters only Vietnamese uses (ơ ư ă đ, vowels with a dot below or a hook) mean
  Vietnamese. Vietnamese typed without diacritics ("em bao nhieu tuoi roi"), common in chat and
  poorly recognised by character n-gram models, is recognised by its syllables and function
  words. The rest goes to py3langid restricted to the major Latin-script languages of chat,
  after removing gaming slang ("gg ez") that every language shares. English is accepted from
  ``LATIN_MIN_CONFIDENCE``; another language needs a surer guess on more words, because English
  chat is what most often fools the model into a rarer language ("lets quit" is not French).

py3langid (BSD-3-Clause) ships its model inside the package, so this runs offline. The model is
loaded once per process, on first use (about a second); answers are cached by text.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

#: The code for text whose language cannot be told (ISO 639-2 "undetermined").
UNDETERMINED = "und"

#: English guesses in Latin script below this confidence are ``und``.
LATIN_MIN_CONFIDENCE = 0.5
#: Other Latin-script guesses need this confidence and three words, or ``LATIN_SURE`` and two words.
LATIN_OTHER_MIN_CONFIDENCE = 0.75
LATIN_SURE = 0.9
#: Fewer letters than this cannot be told apart in Latin script ("ok", "lol", "xd").
LATIN_MIN_LETTERS = 4

#: The Latin-script languages py3langid may answer: the major languages of chat. Restricting the
#: model keeps "lol ok" from coming back as Volapük.
LATIN_LANGUAGES = (
    "en", "es", "pt", "fr", "de", "it", "nl", "vi", "id", "ms", "tl", "tr", "pl", "ro",
    "sv", "da", "no", "fi", "cs", "hu", "sw",
)  # fmt: skip
#: Scripts shared by several languages: the languages py3langid chooses among, the first the default.
SHARED_SCRIPTS: dict[str, tuple[str, ...]] = {
    "ARABIC": ("ar", "fa", "ur", "ps"),
    "CYRILLIC": ("ru", "uk", "bg", "sr", "mk", "be", "kk"),
    "DEVANAGARI": ("hi", "mr", "ne"),
    "BENGALI": ("bn", "as"),
}
#: A shared-script guess below this confidence goes to the script's default language.
SHARED_SCRIPT_MIN_CONFIDENCE = 0.8
#: Letters that only one language of a shared script uses, checked in this order.
_TELLTALE_LETTERS: tuple[tuple[str, str], ...] = (
    ("ў", "be"),
    ("їєґ", "uk"),
    ("әғқңөұүһ", "kk"),
    ("ђћ", "sr"),
    ("ѓќѕ", "mk"),
    ("ыэё", "ru"),
    ("і", "uk"),
    ("ٹڈڑںے", "ur"),
    ("پچژگکی", "fa"),
)
#: Scripts that name their language by themselves.
_SCRIPT_LANGUAGE = {
    "CJK": "zh", "HIRAGANA": "ja", "KATAKANA": "ja", "HANGUL": "ko", "THAI": "th", "HEBREW": "he",
    "GREEK": "el", "GEORGIAN": "ka", "ARMENIAN": "hy", "KHMER": "km", "LAO": "lo", "MYANMAR": "my",
    "SINHALA": "si", "TAMIL": "ta", "TELUGU": "te", "KANNADA": "kn", "MALAYALAM": "ml",
    "GUJARATI": "gu", "GURMUKHI": "pa", "ORIYA": "or", "ETHIOPIC": "am", "TIBETAN": "bo",
}  # fmt: skip
#: One Han, kana or Hangul character carries about as much as a short Latin word.
_SYLLABIC_SCRIPTS = frozenset({"CJK", "HIRAGANA", "KATAKANA", "HANGUL"})
_SYLLABIC_WEIGHT = 3
_SCRIPT_CONFIDENCE = 0.95

#: English names for the codes ``identify`` can answer, used in explanations.
NAMES = {
    "am": "Amharic", "ar": "Arabic", "as": "Assamese", "be": "Belarusian", "bg": "Bulgarian",
    "bn": "Bengali", "bo": "Tibetan", "cs": "Czech", "da": "Danish", "de": "German", "el": "Greek",
    "en": "English", "es": "Spanish", "fa": "Persian", "fi": "Finnish", "fr": "French",
    "gu": "Gujarati", "he": "Hebrew", "hi": "Hindi", "hu": "Hungarian", "hy": "Armenian",
    "id": "Indonesian", "it": "Italian", "ja": "Japanese", "ka": "Georgian", "kk": "Kazakh",
    "km": "Khmer", "kn": "Kannada", "ko": "Korean", "lo": "Lao", "mk": "Macedonian",
    "ml": "Malayalam", "mr": "Marathi", "ms": "Malay", "my": "Burmese", "ne": "Nepali",
    "nl": "Dutch", "no": "Norwegian", "or": "Odia", "pa": "Punjabi", "pl": "Polish",
    "ps": "Pashto", "pt": "Portuguese", "ro": "Romanian", "ru": "Russian", "si": "Sinhala",
    "sr": "Serbian", "sv": "Swedish", "sw": "Swahili", "ta": "Tamil", "te": "Telugu",
    "th": "Thai", "tl": "Tagalog", "tr": "Turkish", "uk": "Ukrainian", "ur": "Urdu",
    "vi": "Vietnamese", "zh": "Chinese",
}  # fmt: skip


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


_ONE_LANGUAGE = frozenset({"id", "ms"})
_NOISE = re.compile(r"https?://\S+|www\.\S+|\S+@\S+\.\S+|[@#]\w+|:[a-z_]+:", re.IGNORECASE)
_WORDS = re.compile(r"[^\W\d_]+")
_REPEATS = re.compile(r"(.)\1{2,}")
#: Laughter in any spelling ("hahah", "jajaja", "wkwk", "kkk", "xd"): n-gram models read it as Malay.
_LAUGHTER = re.compile(
    r"[ahw]*(?:ha|ah|he|eh|hi|ih|hu|uh|ja|aj|je|ji|wk|kw)(?:ha|ah|he|eh|hi|ih|hu|uh|ja|aj|je|ji|wk|kw|a|h|j)+|k{2,}|x+d+"
)
#: Chat and gaming words every language borrows ("gg ez noob"): they say nothing about the language.
_CHAT_SLANG = _wordset(
    """gg ez wp gl hf ggwp glhf lol lmao lmfao rofl xd xdd kek lel omg wtf afk brb noob nub op nerf
    buff ok okay okey oki haha hahaha hehe hihi jaja jajaja kk kkk rs rsrs ty thx pls plz bro mid
    bot rip lag pro hi hey yo ya ye yeah np gj nice sry srry u ur r y"""
)

#: Frequent English words that are not words of the other Latin-script languages above: they veto a
#: non-English guess on text made mostly of them ("fuck lag u" is not Malay).
_ENGLISH_WORDS = _wordset(
    """the you your youre yours is are was were and what whats this that with have has had for not just like
    get got go going gonna wanna do does did dont didnt cant can will would should could im its it my mine
    our they them their he she his her him we us who why how when where which there here from about
    because but if then than than too very really so much many some any all every one two no yes yeah nah
    know think want need make take give look see say said tell talk play game team report man guy guys boy
    girl kid dude bro shit fuck fucking damn hell stupid idiot dumb bad good great best worst win lose lost
    please thanks thank sorry wait come stop let lets time now today tomorrow again back still even only
    never always something nothing everyone anyone"""
)

# --- Vietnamese without diacritics -------------------------------------------------------------
#: Letters Vietnamese has and no other major Latin-script language uses: ơ ư ă đ, and the vowels with a
#: dot below or a hook above (U+1EA0-U+1EF9).
_VI_LETTERS = re.compile("[ơưăđƠƯĂĐ\u1ea0-\u1ef9]")
#: A Vietnamese syllable written without tone marks: optional onset, vowel nucleus, optional coda.
_VI_SYLLABLE = re.compile(
    r"(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?(uye|[aeiouy]{1,3})(ch|ng|nh|[cmnpt])?"
)
#: Teen-chat abbreviations (ko = không, dc = được, j = gì, ...): Vietnamese words that are not syllables.
_VI_ABBREVIATIONS = _wordset(
    """ko k kh hok hk dc j vs e a c t m bme ny ib sdt ck vk mk bn r h z ak ah uk vl vcl cx lm ns bt ng trc
    iu thik"""
)
#: Words frequent in Vietnamese chat and not words of the other major Latin-script languages.
_VI_MARKERS = _wordset(
    """khong duoc nguoi minh nhe nha cua chua thoi vay tuoi nhieu cung nhung truong choi hom lop ghet yeu
    thich xem gui muon dau nghe nua xuong vao loi uong ngu vui dep xau gio lam chieu nhau tui gi duong nhan
    thay biet cho mua"""
)
#: Vietnamese words that are also words elsewhere, once diacritics are gone (English "ban", Portuguese
#: "nao" from "não", French "roi"), and chat abbreviations ("dc" is "disconnected" in games): half a marker.
_VI_WEAK_MARKERS = _wordset(
    """ban the anh em chi ba bo cau ai mai toi hoc qua noi gap tin ke di con me ko hok dc j iu nao sao tao
    oi roi voi dang nay het met doc bao hoi buon"""
)


@dataclass(frozen=True)
class LanguageGuess:
    """A text's language: ``code`` is ISO 639-1 (``und`` when it cannot be told), ``confidence`` in [0, 1]."""

    code: str
    confidence: float

    @property
    def determined(self) -> bool:
        return self.code != UNDETERMINED


UND = LanguageGuess(UNDETERMINED, 0.0)


def identify(text: str) -> LanguageGuess:
    """The language ``text`` is written in; ``und`` when it has no letters or is too short or ambiguous.

    Deterministic and offline; tens of microseconds a message, and repeated texts are cached.
    """
    return _identify(text)


@functools.lru_cache(maxsize=16384)
def _identify(text: str) -> LanguageGuess:
    clean = _NOISE.sub(" ", unicodedata.normalize("NFKC", text))
    if clean.isascii():  # most chat: skip the per-letter script lookup
        letters = sum(1 for ch in clean if ch.isalpha())
        return _identify_latin(clean) if letters >= 2 else UND
    scripts: Counter[str] = Counter(_script(ch) for ch in clean if ch.isalpha())
    script = max(scripts, key=lambda s: scripts[s] * (_SYLLABIC_WEIGHT if s in _SYLLABIC_SCRIPTS else 1), default="")
    if scripts[script] < 2:  # nothing, or one letter: "k", "好", the ツ of a ¯\_(ツ)_/¯
        return UND
    if script == "CJK" and (scripts["HIRAGANA"] or scripts["KATAKANA"]):
        return LanguageGuess("ja", _SCRIPT_CONFIDENCE)  # kanji with kana is Japanese
    if script in _SCRIPT_LANGUAGE:
        return LanguageGuess(_SCRIPT_LANGUAGE[script], _SCRIPT_CONFIDENCE)
    if script in SHARED_SCRIPTS:
        return _identify_shared(clean.casefold(), script)
    if script == "LATIN":
        return _identify_latin(clean)
    return _classify(_model(None), clean, 0.5) or UND


def _identify_shared(text: str, script: str) -> LanguageGuess:
    languages = SHARED_SCRIPTS[script]
    for letters, code in _TELLTALE_LETTERS:
        if code in languages and any(ch in letters for ch in text):
            return LanguageGuess(code, 0.9)
    guess = _classify(_model(script), text, SHARED_SCRIPT_MIN_CONFIDENCE)
    # The script alone says no lexicon covers the text; when the model is unsure, name the script's
    # most used language rather than answer "und", which would hide the text from the report.
    return guess or LanguageGuess(languages[0], 0.5)


def _identify_latin(text: str) -> LanguageGuess:
    if _VI_LETTERS.search(text):
        return LanguageGuess("vi", 0.99)
    words = [_REPEATS.sub(r"\1\1", w.casefold()) for w in _WORDS.findall(text)]
    bare = words if text.isascii() else [_strip_marks(w) for w in words]
    vi = _bare_vietnamese(bare)
    if vi is not None:
        return vi
    content = [w for w, b in zip(words, bare, strict=True) if b not in _CHAT_SLANG and not _LAUGHTER.fullmatch(b)]
    if sum(len(w) for w in content) < LATIN_MIN_LETTERS:
        return UND
    guess = _classify(_model("LATIN"), " ".join(content), LATIN_MIN_CONFIDENCE)
    if guess is None or guess.code == "en":
        return guess or UND
    if sum(1 for w in content if w in _ENGLISH_WORDS) * 2 >= len(content):
        return UND  # mostly English words read as something else: the model is guessing
    sure = guess.confidence >= LATIN_SURE and len(content) >= 2
    return guess if sure or (guess.confidence >= LATIN_OTHER_MIN_CONFIDENCE and len(content) >= 3) else UND


def _bare_vietnamese(words: list[str]) -> LanguageGuess | None:
    """Vietnamese without diacritics: Vietnamese syllables (a loan word such as "game" aside) and function words."""
    if not words:
        return None
    foreign = sum(1 for w in words if w not in _VI_ABBREVIATIONS and not _VI_SYLLABLE.fullmatch(w))
    strong = sum(1 for w in words if w in _VI_MARKERS)
    weak = sum(1 for w in words if w in _VI_WEAK_MARKERS)
    evidence = strong + 0.5 * weak
    if strong == 0 or foreign > len(words) // 4 or evidence < (1.5 if foreign else 1.0):
        return None
    if len(words) == 1 and len(words[0]) < 5:  # "nha", "lam": too short alone
        return None
    share = evidence / len(words)
    if share < 0.34:
        return None
    return LanguageGuess("vi", round(min(0.95, 0.6 + share / 2), 4))


def _classify(model: Any, text: str, minimum: float) -> LanguageGuess | None:
    ranked: list[tuple[str, float]] = model.rank(text)
    code, confidence = ranked[0]
    # Indonesian and Malay are standard forms of one language: the model splits its confidence between them.
    if code in _ONE_LANGUAGE:
        confidence = sum(p for c, p in ranked if c in _ONE_LANGUAGE)
    confidence = float(confidence)
    if not math.isfinite(confidence) or confidence < minimum:
        return None
    return LanguageGuess(code, round(min(1.0, confidence), 4))


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@functools.lru_cache(maxsize=4096)
def _script(ch: str) -> str:
    """The Unicode script of a letter, from its name: ``LATIN``, ``CJK``, ``ARABIC``, ..."""
    return unicodedata.name(ch, "UNKNOWN").split(" ", 1)[0]


@functools.cache
def _model(script: str | None) -> Any:
    """py3langid restricted to a script's languages (all languages for ``None``), all sharing one loaded model."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    if script is None:
        return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    full = _model(None)
    view = LanguageIdentifier(
        full.nb_ptc, full.nb_pc, full.nb_classes, full.tk_nextmove, full.tk_output, norm_probs=True, tk_row=full.tk_row
    )
    view.set_languages(LATIN_LANGUAGES if script == "LATIN" else SHARED_SCRIPTS[script])
    return view


# --- languages of messages and conversations -------------------------------------------------------

_LEGACY_CODES = {"iw": "he", "in": "id", "ji": "yi", "jw": "jv", "cmn": "zh", "nb": "no", "nn": "no", "fil": "tl"}


def normalize_tag(tag: str) -> str:
    """The language code of a BCP 47 tag: ``zh-Hant-TW`` -> ``zh``, ``VI`` -> ``vi``, ``iw`` -> ``he``."""
    primary = tag.strip().replace("_", "-").split("-", 1)[0].casefold()
    return _LEGACY_CODES.get(primary, primary) or UNDETERMINED


def message_language(text: str, declared: str | None = None) -> str:
    """A message's language code: its declared tag when there is one, else what ``identify`` finds."""
    if declared and declared.strip():
        return normalize_tag(declared)
    return identify(text).code


def language_name(code: str) -> str:
    """An English name for ``code`` ("Arabic"), or the code itself when there is none."""
    return NAMES.get(code, code)


@functools.cache
def lexicon_languages() -> frozenset[str]:
    """The languages the built-in lexicons cover, from each lexicon file's ``language`` field."""
    from childguard.detectors.lexicon import builtin_lexicons

    return frozenset(normalize_tag(lx.language) for lx in builtin_lexicons())


def count_languages(codes: Iterable[str]) -> dict[str, int]:
    """Messages per language code, most frequent first (ties by code)."""
    return dict(sorted(Counter(codes).items(), key=lambda kv: (-kv[1], kv[0])))

"""Judge single texts in the shape of OpenAI's moderation API, with the same engine as everything else.

A platform that screens an AI chatbot's replies to minors with OpenAI's moderation endpoint
can switch to childguard by changing the URL. Each input is judged as one message from the
AI (an adult service account, ``assistant``) to its reader (``reader``, of the audience's age;
unknown by default, never assumed adult), by ``Engine.assess`` on a one-message conversation,
so the scores are the ones ``scan`` and ``POST /v1/events`` would give. Nothing is stored.

Our seven categories are reported under ``childguard/<category>`` and mapped onto OpenAI's
where they correspond:

* ``harassment``: cyberbullying; ``harassment/threatening`` and ``violence``: cyberbullying
  with a threat of violence or an incitement to self-harm ("kys");
* ``self-harm``: self-harm risk, or an incitement to self-harm; ``self-harm/intent``: self-harm
  risk with intent, injury, a plan or a farewell (not hopelessness alone);
* ``sexual``: sexual content; ``sexual/minors``: sexual content, grooming or sextortion when
  the reader is a minor.

The categories childguard does not detect (``NOT_DETECTED``: hate, illicit, graphic violence,
self-harm instructions) are present, always false with a score of 0.0, and applied to no input
type, so a client can tell "not found" from "not looked for".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from childguard.domain import ALL_CATEGORIES, Account, AgeBand, Category, Conversation, Message, Signal, Verdict
from childguard.engine import Assessment, Engine
from childguard.interchange import FieldError
from childguard.interchange.parse import MAX_TEXT_LENGTH

#: Every category of OpenAI's moderation API (omni-moderation), in its documented names.
OPENAI_CATEGORIES: tuple[str, ...] = (
    "harassment",
    "harassment/threatening",
    "hate",
    "hate/threatening",
    "illicit",
    "illicit/violent",
    "self-harm",
    "self-harm/intent",
    "self-harm/instructions",
    "sexual",
    "sexual/minors",
    "violence",
    "violence/graphic",
)
#: OpenAI categories childguard has no detector for: always false, 0.0, applied to no input type.
NOT_DETECTED: frozenset[str] = frozenset(
    {"hate", "hate/threatening", "illicit", "illicit/violent", "self-harm/instructions", "violence/graphic"}
)
#: Our categories, as extra keys of the same maps.
CHILDGUARD_CATEGORIES: tuple[str, ...] = tuple(f"childguard/{c.value}" for c in ALL_CATEGORIES)
#: Every key of ``categories``, ``category_scores`` and ``category_applied_input_types``.
ALL_KEYS: tuple[str, ...] = OPENAI_CATEGORIES + CHILDGUARD_CATEGORIES

#: The account ids of the two parties of every judged input (they appear in explanations).
ASSISTANT_ID = "assistant"
READER_ID = "reader"

#: Bullying cues that make harassment threatening (and violent).
THREAT_CUES = frozenset({"violence_threat", "self_harm_incitement"})
#: Self-harm cues that express intent or acts, as OpenAI's ``self-harm/intent`` means.
INTENT_CUES = frozenset({"suicidal_intent", "self_injury", "plan", "goodbye"})
_INCITEMENT = "self_harm_incitement"
# The one-message conversation needs a time; it plays no part in a single message's judgement.
_SENT_AT = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


#: Inputs one request may hold (OpenAI's strings, or the content parts of one input).
MAX_INPUTS = 100
#: Characters one input may hold, as for a message of ``POST /v1/events``.
MAX_INPUT_LENGTH = MAX_TEXT_LENGTH
_AUDIENCE_FIELDS = frozenset({"age", "age_band"})


class InvalidModerationRequest(ValueError):
    """A request that cannot be judged: every problem names its field. ``too_large``: over ``MAX_INPUTS``."""

    def __init__(self, errors: Sequence[FieldError], *, too_large: bool = False) -> None:
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors))
        self.errors = tuple(errors)
        self.too_large = too_large


class InvalidAudience(ValueError):
    """The audience's ``age`` and ``age_band`` disagree, or one is out of range. ``field`` names which."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Audience:
    """Who will read the text: an age, or a band (both must then agree); unknown when neither is given."""

    age: int | None = None
    band: AgeBand = AgeBand.UNKNOWN

    @classmethod
    def of(cls, age: int | None = None, age_band: str | None = None) -> Audience:
        """The audience of a request; ``InvalidAudience`` when the age and band are invalid or disagree."""
        if age is not None and not 0 <= age <= 130:
            raise InvalidAudience("audience.age", "must be a whole number of years between 0 and 130")
        band = None
        if age_band is not None:
            try:
                band = AgeBand(age_band)
            except ValueError:
                band = None
            if band is None or band is AgeBand.UNKNOWN:
                allowed = ", ".join(b.value for b in AgeBand if b is not AgeBand.UNKNOWN)
                raise InvalidAudience("audience.age_band", f"must be one of {allowed}")
        if age is not None:
            if band is not None and band is not AgeBand.from_age(age):
                raise InvalidAudience("audience.age_band", f"does not match age {age}")
            return cls(age, AgeBand.from_age(age))
        return cls(None, band or AgeBand.UNKNOWN)

    def reader(self) -> Account:
        return Account(account_id=READER_ID, age=self.age, age_band=self.band)


#: The default reader: age unknown, which detectors treat as possibly a child.
UNKNOWN_AUDIENCE = Audience()


@dataclass(frozen=True)
class ModerationResult:
    """One input's judgement: OpenAI's four fields, plus the verdict it came from (for explanations)."""

    flagged: bool
    categories: Mapping[str, bool]
    category_scores: Mapping[str, float]
    category_applied_input_types: Mapping[str, tuple[str, ...]]
    verdict: Verdict

    def to_dict(self) -> dict[str, Any]:
        """OpenAI's result object, keys in ``ALL_KEYS`` order, with our explanation under ``childguard``."""
        return {
            "flagged": self.flagged,
            "categories": {k: self.categories[k] for k in ALL_KEYS},
            "category_scores": {k: self.category_scores[k] for k in ALL_KEYS},
            "category_applied_input_types": {k: list(self.category_applied_input_types[k]) for k in ALL_KEYS},
            "childguard": {
                "explanation": self.verdict.explanation,
                "languages": dict(self.verdict.languages),
                "unsupported_languages": list(self.verdict.unsupported_languages),
            },
        }


@dataclass(frozen=True)
class ModerationRequest:
    """What to judge: the input texts in order, for whom, and the model the caller named (ignored)."""

    texts: tuple[str, ...]
    audience: Audience = UNKNOWN_AUDIENCE
    model: str | None = None


def parse_request(payload: object) -> ModerationRequest:
    """Validate a decoded OpenAI moderation request with our ``audience`` extension.

    ``input`` is a string (one input), a list of strings (one input each) or a list of content
    parts (``{"type": "text", "text": ...}``), which together make one input, as in OpenAI's API.
    Image parts are refused: childguard does not judge images here yet. Unknown top-level fields
    are ignored, as OpenAI clients may send some; unknown ``audience`` fields are refused, since a
    misspelt age must not silently become "unknown". Raises ``InvalidModerationRequest``.
    """
    if not isinstance(payload, Mapping):
        raise InvalidModerationRequest([FieldError("", "expected a JSON object with 'input'")])
    errors: list[FieldError] = []
    texts = _parse_input(payload.get("input"), errors)
    model = payload.get("model")
    if model is not None and not isinstance(model, str):
        errors.append(FieldError("model", "must be a string"))
    audience = _parse_audience(payload.get("audience"), errors)
    if errors:
        raise InvalidModerationRequest(errors)
    return ModerationRequest(tuple(texts), audience, model)


def _parse_input(raw: object, errors: list[FieldError]) -> list[str]:
    if isinstance(raw, str):
        _check_length(raw, "input", errors)
        return [raw]
    if raw is None:
        errors.append(FieldError("input", "is required: a string, a list of strings or a list of content parts"))
        return []
    if not isinstance(raw, list) or not raw:
        errors.append(FieldError("input", "must be a string, a list of strings or a list of content parts"))
        return []
    if len(raw) > MAX_INPUTS:
        raise InvalidModerationRequest(
            [FieldError("input", f"at most {MAX_INPUTS} inputs per request")], too_large=True
        )
    if isinstance(raw[0], str):  # a list of strings: one input each
        texts: list[str] = []
        for i, item in enumerate(raw):
            if isinstance(item, str):
                _check_length(item, f"input.{i}", errors)
                texts.append(item)
            else:
                errors.append(FieldError(f"input.{i}", "must be a string, like the other inputs"))
        return texts
    parts: list[str] = []
    for i, item in enumerate(raw):
        kind = item.get("type") if isinstance(item, Mapping) else None
        if kind == "image_url":
            errors.append(FieldError(f"input.{i}", "image inputs are not supported yet: send text parts only"))
        elif kind != "text":
            errors.append(
                FieldError(f"input.{i}", "expected a string, or a content part {'type': 'text', 'text': ...}")
            )
        elif not isinstance(item.get("text"), str):
            errors.append(FieldError(f"input.{i}.text", "must be a string"))
        else:
            parts.append(item["text"])
    # The parts of a multi-modal input are one input, judged together (OpenAI returns one result).
    joined = "\n".join(parts)
    _check_length(joined, "input", errors)
    return [joined]


def _check_length(text: str, field: str, errors: list[FieldError]) -> None:
    if len(text) > MAX_INPUT_LENGTH:
        errors.append(FieldError(field, f"is longer than {MAX_INPUT_LENGTH} characters"))


def _parse_audience(raw: object, errors: list[FieldError]) -> Audience:
    if raw is None:
        return UNKNOWN_AUDIENCE
    if not isinstance(raw, Mapping):
        errors.append(FieldError("audience", 'must be an object such as {"age": 13} or {"age_band": "13_15"}'))
        return UNKNOWN_AUDIENCE
    for name in sorted(set(raw) - _AUDIENCE_FIELDS):
        errors.append(FieldError(f"audience.{name}", "unknown field (expected age or age_band)"))
    age, band = raw.get("age"), raw.get("age_band")
    if age is not None and (isinstance(age, bool) or not isinstance(age, int)):
        errors.append(FieldError("audience.age", "must be a whole number of years between 0 and 130"))
        return UNKNOWN_AUDIENCE
    if band is not None and not isinstance(band, str):
        errors.append(FieldError("audience.age_band", "must be a string"))
        return UNKNOWN_AUDIENCE
    try:
        return Audience.of(age, band)
    except InvalidAudience as exc:
        errors.append(FieldError(exc.field, str(exc)))
        return UNKNOWN_AUDIENCE


def moderate(engine: Engine, texts: Sequence[str], audience: Audience = UNKNOWN_AUDIENCE) -> list[ModerationResult]:
    """Judge each text as one message from the AI to a reader of ``audience``, in order."""
    return [moderate_one(engine, text, audience) for text in texts]


def moderate_one(engine: Engine, text: str, audience: Audience = UNKNOWN_AUDIENCE) -> ModerationResult:
    conversation = one_message_conversation(text, audience)
    assessment = engine.assess(conversation)
    verdict = engine.verdict(assessment, engine.decide(assessment))
    return to_openai(assessment, audience, verdict)


def one_message_conversation(text: str, audience: Audience) -> Conversation:
    """The AI (an adult service account) sending ``text`` to a reader of ``audience``."""
    message = Message(
        conversation_id="moderation",
        message_id="input",
        sender_id=ASSISTANT_ID,
        recipient_ids=(READER_ID,),
        sent_at=_SENT_AT,
        text=text,
    )
    assistant = Account(account_id=ASSISTANT_ID, age_band=AgeBand.ADULT)
    return Conversation.build("moderation", [message], {ASSISTANT_ID: assistant, READER_ID: audience.reader()})


def to_openai(assessment: Assessment, audience: Audience, verdict: Verdict) -> ModerationResult:
    """Map the conversation-level signals of a judged input onto OpenAI's categories and ours."""
    signals: dict[Category, list[Signal]] = {}
    for sig in assessment.conversation_signals:
        signals.setdefault(sig.category, []).append(sig)

    def judged(category: Category, cues: frozenset[str] | None = None) -> tuple[float, bool]:
        """The highest score, and whether any detector flagged, among the category's signals
        (only those showing one of ``cues``, when given)."""
        found = [s for s in signals.get(category, ()) if cues is None or cues & _cues(s)]
        if not found:
            return 0.0, False
        return max(s.score for s in found), any(s.flagged for s in found)

    bullying = judged(Category.CYBERBULLYING)
    threatening = judged(Category.CYBERBULLYING, THREAT_CUES)
    incitement = judged(Category.CYBERBULLYING, frozenset({_INCITEMENT}))
    sexual = judged(Category.SEXUAL_CONTENT)
    toward_minor = [sexual, judged(Category.GROOMING), judged(Category.SEXTORTION)]
    mapped: dict[str, tuple[float, bool]] = {
        "harassment": bullying,
        "harassment/threatening": threatening,
        "violence": threatening,
        "self-harm": _strongest([judged(Category.SELF_HARM), incitement]),
        "self-harm/intent": judged(Category.SELF_HARM, INTENT_CUES),
        "sexual": sexual,
        "sexual/minors": _strongest(toward_minor) if audience.band.is_minor else (0.0, False),
    }
    mapped.update({f"childguard/{c.value}": judged(c) for c in ALL_CATEGORIES})
    scores = {k: round(mapped[k][0], 6) if k in mapped else 0.0 for k in ALL_KEYS}
    flags = {k: mapped[k][1] if k in mapped else False for k in ALL_KEYS}
    applied = {k: () if k in NOT_DETECTED else ("text",) for k in ALL_KEYS}
    return ModerationResult(any(flags.values()), flags, scores, applied, verdict)


def _cues(signal: Signal) -> frozenset[str]:
    return frozenset(e.cue for e in signal.evidence if e.cue)


def _strongest(judgements: Sequence[tuple[float, bool]]) -> tuple[float, bool]:
    return max(j[0] for j in judgements), any(j[1] for j in judgements)

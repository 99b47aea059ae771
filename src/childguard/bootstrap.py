"""Build the application from settings: store, detectors, policy, service. Used by every shell."""

from __future__ import annotations

from childguard.detectors.exemplars.encoders import EncoderUnavailable
from childguard.detectors.registry import EXEMPLAR_CHOICES, default_registry
from childguard.engine import Engine
from childguard.policy import load_default_policy, load_policy
from childguard.service import ChildGuard
from childguard.settings import Settings, SettingsError


def build_engine(settings: Settings) -> Engine:
    if settings.abuse_model is not None and not settings.abuse_model.is_file():
        raise SettingsError(f"CHILDGUARD_ABUSE_MODEL: no model file at {settings.abuse_model}")
    if settings.grooming_model is not None and not settings.grooming_model.is_file():
        raise SettingsError(f"CHILDGUARD_GROOMING_MODEL: no model file at {settings.grooming_model}")
    if settings.exemplars not in EXEMPLAR_CHOICES:
        raise SettingsError(
            f"CHILDGUARD_EXEMPLARS must be one of {', '.join(EXEMPLAR_CHOICES)}, got {settings.exemplars!r}"
        )
    try:
        registry = default_registry(
            abuse_model=settings.abuse_model, grooming_model=settings.grooming_model, exemplars=settings.exemplars
        )
    except EncoderUnavailable as exc:
        raise SettingsError(f"CHILDGUARD_EXEMPLARS={settings.exemplars}: {exc}") from None
    policy = (
        load_policy(list(settings.policy_paths), registry) if settings.policy_paths else load_default_policy(registry)
    )
    return Engine(registry, policy)


def build_service(settings: Settings) -> ChildGuard:
    from childguard.storage import open_store  # storage drivers load only when a store is needed

    if not settings.database_url:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    store = open_store(settings.resolved_database_url)
    return ChildGuard(store, build_engine(settings))

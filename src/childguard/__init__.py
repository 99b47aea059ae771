"""childguard: an open-source child online protection engine."""

__version__ = "0.1.0"

__all__ = ["__version__"]

"""unkg: the UN System Knowledge Graph service."""

__version__ = "0.1.0"

"""catalogbot keeps a curated catalog of public resources healthy."""

__version__ = "0.1.0"

__all__ = ["__version__"]

"""catalogbot keeps a curated catalog of public resources healthy."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("catalogbot")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = ["__version__"]

"""mypy plugin enforcing the FastAPI layer rules that need types (RULES.md §11).

Enable it in the mypy configuration::

    [tool.mypy]
    plugins = ["mypy_layers_plugin"]

It reads the same ``[tool.fastapi-layers]`` table as the flake8 plugin.
"""

from __future__ import annotations

from mypy.plugin import Plugin

# mypy records a plugin's __version__ in its cache, so an upgrade of the
# package invalidates cached results.
from flake8_fastapi_layers import __version__

__all__ = ["__version__", "plugin"]


def plugin(version: str) -> type[Plugin]:
    """mypy's entry point: the plugin class for any supported mypy version."""
    from .hooks import LayersPlugin

    return LayersPlugin

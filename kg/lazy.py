"""Lazy public names for a package (PEP 562): ``name → module`` resolved on first use.

>>> getattr_, dir_ = lazy_names("demo", {"sqrt": "math"}, {})
>>> getattr_("sqrt")(4.0)
2.0
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def lazy_names(package: str, exports: dict[str, str],
               namespace: dict[str, Any]) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """A module's ``__getattr__`` and ``__dir__`` that import each of ``exports`` from its module when asked,
    and keep it in ``namespace`` (the package's ``globals()``) so the import happens once."""

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *exports})

    return __getattr__, __dir__

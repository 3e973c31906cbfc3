"""Write docs/API.md from the docstrings of the public API (``asn_match.__all__``).

Run ``python tools/make_api_docs.py`` after changing a public docstring; a test fails while the
file is out of date.
"""

from __future__ import annotations

import inspect
import sys
from pathlib import Path

import asn_match

DOCS = Path(__file__).resolve().parents[1] / "docs" / "API.md"


class _Factory:
    """Stands for a default made by a factory (a fresh dict or object per instance)."""

    def __repr__(self) -> str:
        return "<factory>"


def _signature(obj) -> str:
    try:
        signature = inspect.signature(obj)
    except (TypeError, ValueError):
        return ""
    if not inspect.isclass(obj):
        return str(signature)
    # A class's signature comes from pydantic, whose rendering of annotations and factory
    # defaults changes between versions: give names and defaults only (the docstring has types).
    fields = getattr(obj, "model_fields", {})
    parameters = [
        parameter.replace(
            annotation=inspect.Parameter.empty,
            default=_Factory()
            if getattr(fields.get(name), "default_factory", None)
            else parameter.default,
        )
        for name, parameter in signature.parameters.items()
    ]
    return str(signature.replace(parameters=parameters, return_annotation=inspect.Signature.empty))


def _entry(qualname: str, obj) -> str:
    signature = _signature(obj)
    doc = inspect.cleandoc(obj.__doc__ or "(no docstring)")
    kind = "class" if inspect.isclass(obj) else "function" if callable(obj) else "module"
    head = f"## `{qualname}`\n\n*{kind}*"
    if kind != "module":
        head += f"\n\n```python\n{qualname}{signature}\n```"
    return f"{head}\n\n```text\n{doc}\n```\n"


def render() -> str:
    """The full text of docs/API.md."""
    parts = [
        "# asn_match API\n",
        "Generated from the docstrings by `python tools/make_api_docs.py`; do not edit by hand.\n",
        "Every name below is importable as `asn_match.<name>` (`import asn_match as am`).\n",
    ]
    names = sorted(asn_match.__all__, key=str.lower)
    parts.append("\n".join(f"- [`{n}`](#{_anchor(n)})" for n in names) + "\n")
    for name in names:
        obj = getattr(asn_match, name)
        parts.append(_entry(f"am.{name}", obj))
        if inspect.ismodule(obj):
            for sub in getattr(obj, "__all__", ()):
                parts.append(_entry(f"am.{name}.{sub}", getattr(obj, sub)))
    return "\n".join(parts)


def _anchor(name: str) -> str:
    return f"am{name.lower()}"


if __name__ == "__main__":
    DOCS.parent.mkdir(exist_ok=True)
    DOCS.write_text(render(), encoding="utf-8")
    sys.stdout.write(f"wrote {DOCS}\n")

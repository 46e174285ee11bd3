"""`payloadTemplate` rendering: Handlebars-style variables, nothing executable.

`{{title}}`, `{{organizer.name}}`, `{{attendees.0.name}}` (or `attendees.[0].name`) and the
triple-stash `{{{title}}}` and `{{& title}}` are replaced by the value at that path; objects and arrays render as
compact JSON (so `{{organizer}}` and `{{attendees}}` give the JSON Cal.com puts there), missing values
and null render empty. Values are inserted as they are, without HTML escaping. Block helpers,
partials and comments (`{{#each}}`, `{{/each}}`, `{{> x}}`, `{{! x}}`) are not supported and render
empty.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

_TAG = re.compile(r"\{\{\{?(.*?)\}?\}\}", re.DOTALL)
_NOT_A_VARIABLE = ("#", "/", "!", ">", "^")


def render(template: str, context: Mapping[str, Any]) -> str:
    return _TAG.sub(lambda match: _render_tag(match.group(1).strip(), context), template)


def compact_json(value: Any) -> str:
    """JSON as `JSON.stringify` writes it: no spaces, non-ASCII kept."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _render_tag(expression: str, context: Mapping[str, Any]) -> str:
    expression = expression.removeprefix("&").strip()  # `{{& x}}` is another unescaped form
    if not expression or expression.startswith(_NOT_A_VARIABLE) or expression == "else":
        return ""
    return _as_text(_lookup(context, expression))


def _lookup(context: Mapping[str, Any], path: str) -> Any:
    value: Any = context
    for raw in path.split("."):
        part = raw.strip()
        if part.startswith("[") and part.endswith("]"):
            part = part[1:-1]
        if part in ("this", ""):
            continue
        if isinstance(value, Mapping):
            value = value.get(part)
        elif isinstance(value, Sequence) and not isinstance(value, str) and part.isdigit():
            index = int(part)
            value = value[index] if index < len(value) else None
        else:
            return None
    return value


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))  # as JavaScript prints 3.0
    if isinstance(value, Mapping | list | tuple):
        return compact_json(value)
    return str(value)

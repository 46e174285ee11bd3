"""Shared parameter types: strict integer ids and array query parameters in every client form."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BeforeValidator

_DIGITS = re.compile(r"[0-9]+")


def _strict_int(value: Any) -> Any:
    # Cal.com's ParseIntPipe rejects "1.0", " 1", "+1" and "1_0"; pydantic alone would take some.
    if isinstance(value, str) and not _DIGITS.fullmatch(value):
        raise ValueError("Validation failed (numeric string is expected)")
    return value


def _split_commas(value: Any) -> Any:
    """`x=a,b`, `x=a&x=b` and `x[]=a&x[]=b` (renamed by the middleware) all become [a, b]."""
    if value is None:
        return None
    items = value if isinstance(value, list) else [value]
    out: list[Any] = []
    for item in items:
        if isinstance(item, str):
            out.extend(part.strip() for part in item.split(",") if part.strip())
        else:
            out.append(item)
    return out


IntId = Annotated[int, BeforeValidator(_strict_int)]
CsvList = BeforeValidator(_split_commas)

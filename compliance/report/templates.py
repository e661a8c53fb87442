"""Small readers of CloudFormation policy documents: values as lists, principals as text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def principals(statement: dict[str, Any], text: Callable[[Any], Any] = lambda value: value) -> list[str]:
    principal = statement.get("Principal", {})
    if principal == "*":
        return ["*"]
    found: list[str] = []
    for kind, values in principal.items():
        found += [f"{kind}: {text(v)}" for v in as_list(values)]
    return found

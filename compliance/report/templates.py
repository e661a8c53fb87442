"""Reading CloudFormation templates for people: intrinsic functions shown as placeholders, principals as text."""

from __future__ import annotations

import json
from typing import Any


def symbolic(value: Any) -> Any:
    """Render CloudFormation intrinsics as readable placeholders: {"Ref": "X"} -> "<X>"."""
    if isinstance(value, dict):
        if set(value) == {"Ref"}:
            return f"<{value['Ref']}>"
        if set(value) == {"Fn::GetAtt"}:
            return f"<{'.'.join(value['Fn::GetAtt'])}>"
        if set(value) == {"Fn::Join"}:
            separator, parts = value["Fn::Join"]
            return separator.join(str(symbolic(part)) for part in parts)
        if len(value) == 1 and next(iter(value)).startswith("Fn::"):
            return "<unique-suffix>" if "AWS::StackId" in json.dumps(value) else f"<{next(iter(value))}>"
        return {key: symbolic(item) for key, item in value.items()}
    if isinstance(value, list):
        return [symbolic(item) for item in value]
    return value


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def principals(statement: dict[str, Any]) -> list[str]:
    principal = statement.get("Principal", {})
    if principal == "*":
        return ["*"]
    found: list[str] = []
    for kind, values in principal.items():
        found += [f"{kind}: {symbolic(v)}" for v in as_list(values)]
    return found

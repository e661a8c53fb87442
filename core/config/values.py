"""Reading one context value: lists, booleans, integers, choices and principals, each refused in one line.

Values come from `cdk.json` (JSON types) and from `cdk synth -c key=value` (text), so each reader accepts both.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any


class ConfigError(ValueError):
    """A configuration value that cannot be used; str() is the one line a user sees, after ERROR_PREFIX."""


# How app.py prints every ConfigError (docs/platform/configuration.md shows lines generated with it).
ERROR_PREFIX = "Configuration error: "


ACCOUNT = re.compile(r"^\d{12}$")
REGION = re.compile(r"^[a-z]{2}(-gov)?-[a-z]+-\d$")
ROLE_OR_USER_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:(role|user|root)(/.*)?$")
SERVICE = re.compile(r"^[a-z0-9.-]+\.amazonaws\.com$")


def fail(key: str, value: Any, allowed: str) -> ConfigError:
    return ConfigError(f"{key}: {value!r} is not valid; allowed: {allowed}")


def as_list(key: str, value: Any) -> list[Any]:
    """Lists come from cdk.json as JSON arrays and from `-c key=...` as JSON or comma-separated text."""
    if value is None:
        return []
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                value = json.loads(text)
            except json.JSONDecodeError as error:
                raise fail(key, value, f"a JSON list or comma-separated values ({error.msg})") from None
        else:
            return [part.strip() for part in text.split(",") if part.strip()]
    if not isinstance(value, list):
        raise fail(key, value, "a list (JSON array) or comma-separated values")
    return value


def as_object(key: str, value: Any, example: str) -> dict[str, Any]:
    """Objects come from cdk.json as JSON objects and from `-c key=...` as JSON text; `example` shows one."""
    if isinstance(value, str):
        try:
            value = json.loads(value) if value.strip() else {}
        except json.JSONDecodeError as error:
            raise fail(key, value, f"a JSON object such as {example} ({error.msg})") from None
    if not isinstance(value, dict):
        raise fail(key, value, example)
    return value


def as_bool(key: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise fail(key, value, "true or false")


def as_int(key: str, value: Any, low: int, high: int) -> int:
    try:
        number = int(value) if not isinstance(value, bool) else None
    except (TypeError, ValueError):
        number = None
    if number is None or str(number) != str(value).strip() or not low <= number <= high:
        raise fail(key, value, f"an integer from {low} to {high}")
    return number


def as_int_choice(key: str, value: Any, choices: Sequence[int], rule: str) -> int:
    """An integer from a fixed set, refused with the rule and every choice at once (not a range first, the set
    only when a number inside the range is tried)."""
    try:
        number = int(value) if not isinstance(value, bool) else None
    except (TypeError, ValueError):
        number = None
    if number is None or str(number) != str(value).strip() or number not in choices:
        raise fail(key, value, f"{rule}: {', '.join(map(str, choices))}")
    return number


def as_optional_int(key: str, value: Any, low: int, high: int) -> int | None:
    return None if value in (None, "") else as_int(key, value, low, high)


def as_choice(key: str, value: Any, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise fail(key, value, ", ".join(choices))
    return str(value)


def as_optional_text(key: str, value: Any, pattern: re.Pattern[str] | None, allowed: str) -> str | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str) or (pattern and not pattern.match(value)):
        raise fail(key, value, allowed)
    return value


def as_principals(key: str, value: Any) -> tuple[str, ...]:
    """Account IDs, IAM role or user ARNs, or service principals; duplicates dropped, order kept."""
    items = as_list(key, value)
    for item in items:
        if not isinstance(item, str) or not (
            ACCOUNT.match(item) or ROLE_OR_USER_ARN.match(item) or SERVICE.match(item)
        ):
            raise fail(
                key,
                item,
                "12-digit account IDs, IAM role or user ARNs, or service principals such as lambda.amazonaws.com",
            )
    return tuple(dict.fromkeys(items))


def closest(name: str, names: Sequence[str], count: int = 3) -> list[str]:
    """Up to `count` names like `name` (difflib's close matches), best first; the one most like it when none is
    close: what an error line suggests."""
    return difflib.get_close_matches(name, names, n=count, cutoff=0.6) or difflib.get_close_matches(
        name, names, n=1, cutoff=0.0
    )


def object_label(key: str, index: int, item: Any, name_field: str = "name") -> str:
    """How an error line names one object of a list: by its name (`teams[payments]`), else by position
    (`teams[0]`)."""
    name = item.get(name_field) if isinstance(item, Mapping) else None
    return f"{key}[{name}]" if isinstance(name, str) and name else f"{key}[{index}]"


def check_fields(
    key: str,
    index: int,
    item: Any,
    required: Sequence[str],
    optional: Sequence[str],
    example: str,
    name_field: str = "name",
) -> str:
    """One object of the list `key`: refused in one line naming the object and the field (unknown, with the
    closest field, or missing); its label for later lines."""
    label = object_label(key, index, item, name_field)
    fields = (*required, *optional)
    listed = ", ".join(f"{field}{'' if field in required else '?'}" for field in fields)
    if not isinstance(item, Mapping):
        raise ConfigError(f"{label}: {item!r} is not an object; write one like {example}")
    for field in item:
        if field not in fields:
            close = difflib.get_close_matches(str(field), fields, n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise ConfigError(f"{label}: unknown field {field!r}; {hint}fields: {listed}")
    for field in required:
        if field not in item:
            raise ConfigError(f"{label}: missing field {field!r}; fields: {listed}")
    return label

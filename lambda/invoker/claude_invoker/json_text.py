"""What of a JSON value the function can encode, found without recursion: lone surrogates, nesting, an encoded size.

Lambda's Python runtime parses the event with every JSON escape honoured, so a string may hold a lone UTF-16
surrogate (`"\\ud83d"`, half of an emoji a JavaScript caller cut); such a string cannot be encoded as UTF-8, which
is what Bedrock takes and what the runtime writes the answer in (awslambdaric `lambda_runtime_marshaller`,
`ensure_ascii=False` on the Python 3.12 and later runtimes). Python's JSON encoder recurses once per level of
nesting, so an event nested close to the interpreter's recursion limit (1000 frames) cannot be encoded either.
These helpers walk a value with an explicit stack, so they work on exactly the values the encoder fails on.
"""

from __future__ import annotations

import json
import re
from typing import Any

# The deepest nesting of arrays and objects a request may have: far above any Messages request (tool schemas and
# tool results nest a few tens of levels), far below the depth at which the function's JSON encoding would fail.
MAX_NESTING = 256
# A Python string holds a surrogate only when it is lone: JSON's escaped pairs are decoded to one code point.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _children(value: Any, path: str) -> list[tuple[str, Any]]:
    if isinstance(value, dict):
        return [(f"{path}.{key}" if path else str(key), item) for key, item in value.items()]
    if isinstance(value, list):
        return [(f"{path}[{index}]", item) for index, item in enumerate(value)]
    return []


def too_deep(value: Any, limit: int = MAX_NESTING) -> str | None:
    """The path of the first array or object nested more than `limit` levels deep in `value`, or None."""
    stack: list[tuple[str, Any, int]] = [("", value, 0)]
    while stack:
        path, item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth >= limit:
                return path
            stack.extend((child_path, child, depth + 1) for child_path, child in reversed(_children(item, path)))
    return None


def _encodes(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def invalid_text(value: Any) -> tuple[str, str] | None:
    """(path, text) of the first key or string in `value` that is not valid Unicode (holds a lone surrogate)."""
    stack: list[tuple[str, Any]] = [("", value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, str):
            if not _encodes(item):
                return path, item
        elif isinstance(item, dict):
            for key in item:
                if isinstance(key, str) and not _encodes(key):
                    return path, key
            stack.extend(reversed(_children(item, path)))
        elif isinstance(item, list):
            stack.extend(reversed(_children(item, path)))
    return None


def size_bound(value: Any) -> int:
    """An upper bound of the bytes of `value` as compact JSON, however its strings are escaped; never raises.

    Each string and number is measured as `json.dumps` writes it with every non-ASCII character escaped (the
    longest form: 6 bytes per UTF-16 unit against at most 3 bytes of UTF-8 each), so lone surrogates and any
    depth of nesting are measured too.
    """
    size = 0
    stack: list[Any] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            size += 2 + max(len(item) - 1, 0) + len(item)  # braces, commas, colons
            for key, child in item.items():
                stack.append(str(key))
                stack.append(child)
        elif isinstance(item, list):
            size += 2 + max(len(item) - 1, 0)
            stack.extend(item)
        else:
            try:
                size += len(json.dumps(item))
            except (TypeError, ValueError):
                size += len(json.dumps(str(item)))
    return size


def utf8_safe(answer: dict[str, Any]) -> dict[str, Any]:
    """`answer`, or, when it holds text that is not valid Unicode, a copy with each lone surrogate replaced by
    U+FFFD, so that the runtime can always encode it."""
    try:
        json.dumps(answer, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        repaired: dict[str, Any] = json.loads(_SURROGATE.sub("\ufffd", json.dumps(answer, ensure_ascii=False)))
        return repaired
    except (TypeError, ValueError, RecursionError):
        return answer  # not a JSON value: not the function's to repair here (answers are always plain JSON)
    return answer

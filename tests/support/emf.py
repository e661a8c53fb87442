"""A checker of CloudWatch embedded metric format (EMF) documents, written from the specification alone.

Source: Amazon CloudWatch user guide, "Specification: Embedded metric format"
(https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html,
as published in awsdocs/amazon-cloudwatch-user-guide). `SCHEMA` is the JSON schema the page gives "to validate
embedded metric format documents" (its titles and examples left out); `problems` adds the page's rules the schema
does not express. The page's version read here allows 9 dimension keys per set; later versions allow more, so 9 is
the stricter check.
"""

from __future__ import annotations

import json
import math
from typing import Any

from jsonschema import Draft7Validator

_UNITS = (
    "Seconds|Microseconds|Milliseconds|Bytes|Kilobytes|Megabytes|Gigabytes|Terabytes|Bits|Kilobits|Megabits|Gigabits|"
    "Terabits|Percent|Count|Bytes\\/Second|Kilobytes\\/Second|Megabytes\\/Second|Gigabytes\\/Second|"
    "Terabytes\\/Second|Bits\\/Second|Kilobits\\/Second|Megabits\\/Second|Gigabits\\/Second|Terabits\\/Second|"
    "Count\\/Second|None"
)
_NAME = {"type": "string", "pattern": "^(.*)$", "minLength": 1, "maxLength": 255}
SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["_aws"],
    "properties": {
        "_aws": {
            "type": "object",
            "required": ["Timestamp", "CloudWatchMetrics"],
            "properties": {
                "Timestamp": {"type": "integer"},
                "CloudWatchMetrics": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["Namespace", "Dimensions", "Metrics"],
                        "properties": {
                            "Namespace": _NAME,
                            "Dimensions": {
                                "type": "array",
                                "minItems": 1,
                                "items": {"type": "array", "minItems": 0, "maxItems": 9, "items": _NAME},
                            },
                            "Metrics": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "required": ["Name"],
                                    "properties": {
                                        "Name": _NAME,
                                        "Unit": {"type": "string", "pattern": f"^({_UNITS})$"},
                                    },
                                },
                            },
                        },
                    },
                },
            },
        }
    },
}
_VALIDATOR = Draft7Validator(SCHEMA)
MAX_BYTES = 256 * 1024  # "subject to the same limits as standard CloudWatch Logs events ... 256 KB"


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON (RFC 8259)")


def problems(line: str) -> list[str]:
    """Why `line` (one log event) is not a valid EMF document; empty when it is."""
    if len(line.encode()) > MAX_BYTES:
        return [f"{len(line.encode())} bytes: over the 256 KB limit of a log event"]
    try:
        # "a valid JSON object with no additional data at the beginning or end of the LogEvent message string"
        root = json.loads(line, parse_constant=_refuse_constant)
    except ValueError as error:
        return [f"not one JSON text: {error}"]
    if not isinstance(root, dict):
        return ["the root is not a JSON object"]
    found = [
        f"schema: {error.message} at {'/'.join(map(str, error.absolute_path))}"
        for error in _VALIDATOR.iter_errors(root)
    ]
    if found:
        return found
    metadata = root["_aws"]
    # "Unless otherwise noted, objects defined by this specification MUST NOT contain any additional members."
    found += [
        f"_aws has a member the specification does not define: {k}"
        for k in set(metadata) - {"Timestamp", "CloudWatchMetrics"}
    ]
    for index, directive in enumerate(metadata["CloudWatchMetrics"]):
        where = f"CloudWatchMetrics[{index}]"
        found += [
            f"{where} has an undefined member: {k}" for k in set(directive) - {"Namespace", "Dimensions", "Metrics"}
        ]
        if len(directive["Metrics"]) > 100:  # "MUST NOT contain more than 100 MetricDefinition objects"
            found.append(f"{where}: more than 100 metrics")
        for dimension_set in directive["Dimensions"]:
            for key in dimension_set:
                # Dimension targets: members of the root node (not nested), with a string value.
                if key not in root:
                    found.append(f"{where}: dimension {key!r} is not a member of the root node")
                elif not isinstance(root[key], str):
                    found.append(f"{where}: dimension {key!r} has a {type(root[key]).__name__} value, not a string")
        for definition in directive["Metrics"]:
            name = definition["Name"]
            found += [
                f"{where}: metric {name!r} has an undefined member: {k}" for k in set(definition) - {"Name", "Unit"}
            ]
            value = root.get(name)
            # Metric targets: a numeric value or an array of (at most 100) numeric values, on the root node.
            if name not in root:
                found.append(f"{where}: metric {name!r} is not a member of the root node")
            elif isinstance(value, list):
                if len(value) > 100 or not all(_number(v) for v in value):
                    found.append(f"{where}: metric {name!r} is not an array of at most 100 numbers")
            elif not _number(value):
                found.append(f"{where}: metric {name!r} has a non-numeric value {value!r}")
    return found

"""Checks of the Region's Bedrock model invocation logging configuration itself."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from compliance.audit.checks import Check
from core.invocation_logging.configuration import DELIVERY_FLAGS

LOGGING_RESOURCE = "model invocation logging"


def check_destinations(logging_config: Mapping[str, Any], region: str) -> list[Check]:
    """The configuration names a bucket and prefix, a log group and role, and a bucket for large payloads."""
    s3 = logging_config.get("s3Config") or {}
    cloudwatch = logging_config.get("cloudWatchConfig") or {}
    large = cloudwatch.get("largeDataDeliveryS3Config") or {}

    def row(name: str, expected: str, values: Mapping[str, Any], keys: tuple[str, ...]) -> Check:
        missing = [key for key in keys if not values.get(key)]
        actual = ", ".join(f"{key}={values[key]}" for key in keys if values.get(key))
        if missing:
            actual = f"missing {', '.join(missing)}" + (f" ({actual})" if actual else "")
        return Check(name, region, LOGGING_RESOURCE, expected, actual, not missing)

    return [
        row("bedrock.logging.s3", "s3Config with bucketName and keyPrefix", s3, ("bucketName", "keyPrefix")),
        row(
            "bedrock.logging.cloudwatch",
            "cloudWatchConfig with logGroupName and roleArn",
            cloudwatch,
            ("logGroupName", "roleArn"),
        ),
        row(
            "bedrock.logging.large_data",
            "largeDataDeliveryS3Config with bucketName and keyPrefix",
            large,
            ("bucketName", "keyPrefix"),
        ),
    ]


def check_delivery_flags(logging_config: Mapping[str, Any], log_data: Iterable[str], region: str) -> list[Check]:
    """One row per data kind: on exactly when `log_data` lists it."""
    wanted = set(log_data)
    checks = []
    for kind, flag in DELIVERY_FLAGS.items():
        expected = kind in wanted
        actual = bool(logging_config.get(flag, False))
        checks.append(
            Check(
                f"bedrock.logging.data.{kind}",
                region,
                LOGGING_RESOURCE,
                f"{flag}={str(expected).lower()}",
                f"{flag}={str(actual).lower()}",
                actual == expected,
            )
        )
    return checks


def log_buckets(logging_config: Mapping[str, Any]) -> dict[str, list[str]]:
    """Bucket name -> key prefixes Bedrock writes to it (invocation logs, large payloads)."""
    cloudwatch = logging_config.get("cloudWatchConfig") or {}
    buckets: dict[str, list[str]] = {}
    for destination in (logging_config.get("s3Config") or {}, cloudwatch.get("largeDataDeliveryS3Config") or {}):
        if destination.get("bucketName"):
            buckets.setdefault(destination["bucketName"], []).append(str(destination.get("keyPrefix") or ""))
    return buckets


def _flatten(value: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, item in value.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(item, Mapping):
            flat.update(_flatten(item, path))
        else:
            flat[path] = item
    return flat


def configuration_differences(actual: Mapping[str, Any], expected: Mapping[str, Any]) -> list[str]:
    """`path: found != wanted` for every field the expected configuration sets (absent flags count as false)."""
    found = _flatten(actual)
    differences = []
    for path, wanted in _flatten(expected).items():
        value = found.get(path, False if isinstance(wanted, bool) else None)
        if value != wanted:
            differences.append(f"{path}: {value!r} != {wanted!r}")
    return differences


def check_configuration_matches(logging_config: Mapping[str, Any], expected: Mapping[str, Any], region: str) -> Check:
    """The configuration is exactly the one the stack applies: same bucket, prefixes, log group, role and flags."""
    differences = configuration_differences(logging_config, expected)
    actual = "; ".join(differences) if differences else "as deployed"
    return Check(
        "bedrock.logging.matches",
        region,
        LOGGING_RESOURCE,
        "the configuration the stack applies",
        actual,
        not differences,
    )

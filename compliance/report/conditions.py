"""IAM policy conditions in words: {"StringEquals": {"aws:SourceAccount": ...}} -> "only on behalf of this account".

`describe` turns one statement's `Condition` block (its intrinsics already made text by `Names.text`) into phrases a
reviewer reads: "only ..." for what a positive operator requires, "unless ..." for what a negated one exempts. The
keys this project's templates use have their own wording; any other key or operator falls back to a readable
"only when <key> <operator> <values>", never to JSON.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from compliance.report.templates import as_list

THIS_ACCOUNT = "{account}"

# Operators without their IfExists/set qualifiers, in words.
_OPERATORS = {
    "StringEquals": "is",
    "StringEqualsIgnoreCase": "is (any case)",
    "StringLike": "matches",
    "ArnEquals": "is",
    "ArnLike": "matches",
    "NumericEquals": "equals",
    "NumericLessThan": "is less than",
    "NumericLessThanEquals": "is at most",
    "NumericGreaterThan": "is more than",
    "NumericGreaterThanEquals": "is at least",
    "DateLessThan": "is before",
    "DateGreaterThan": "is after",
    "Bool": "is",
    "IpAddress": "is in",
}
_NEGATED = {
    "StringNotEquals",
    "StringNotEqualsIgnoreCase",
    "StringNotLike",
    "ArnNotEquals",
    "ArnNotLike",
    "NotIpAddress",
}
_SERVICES = {
    "s3": "S3",
    "logs": "CloudWatch Logs",
    "bedrock": "Bedrock",
    "sns": "SNS",
    "sqs": "SQS",
    "lambda": "Lambda",
}
_ARN = re.compile(r"^arn:[^:]*:([^:]*):([^:]*):([^:]*):(.*)$")


def _account(value: str) -> str:
    return "this account" if value == THIS_ACCOUNT else f"account {value}"


def _either(values: list[str]) -> str:
    return values[0] if len(values) == 1 else ", ".join(values[:-1]) + " or " + values[-1]


def _source_arn(value: str) -> str:
    match = _ARN.match(value)
    if not match:
        return value
    service, region, account, resource_part = match.groups()
    where = f" in {region}" if region and region != "*" else ""
    owner = _account(account) if account and account != "*" else "any account"
    name = _SERVICES.get(service, service)
    return f"{name} resources of {owner}{where}" if resource_part in ("*", "") else value


def _log_group(value: str) -> str:
    match = _ARN.match(value)
    return match.group(4).removeprefix("log-group:") if match else value


def _via_service(value: str) -> str:
    service, _, rest = value.partition(".")
    region = rest.removesuffix(".amazonaws.com")
    return f"{_SERVICES.get(service, service)} in {region}" if region and region != rest else value


def _profile(value: str) -> str:
    return value.rsplit("inference-profile/", 1)[-1]


def _requested_region(value: str) -> str:
    return "no Region ('unspecified', cross-Region routing)" if value == "unspecified" else value


# key -> (what a positive operator requires, what a negated one exempts); {} is the values, in words.
Wording = tuple[str, str, Callable[[str], str]]
_KEYS: dict[str, Wording] = {
    "aws:SourceAccount": ("only on behalf of {}", "unless on behalf of {}", _account),
    "aws:SourceArn": ("only for requests from {}", "unless from {}", _source_arn),
    "aws:RequestedRegion": ("only for requests to {}", "unless the request is to {}", _requested_region),
    "aws:PrincipalServiceName": ("only for the service {}", "unless the caller is the service {}", str),
    "aws:PrincipalArn": ("only for {}", "unless the caller is {}", str),
    "aws:PrincipalAccount": ("only for principals of {}", "unless the caller is of {}", _account),
    "aws:PrincipalOrgID": ("only for principals of the organization {}", "unless of the organization {}", str),
    "aws:SourceOrgID": ("only on behalf of the organization {}", "unless for the organization {}", str),
    "aws:SecureTransport": ("only {}", "unless {}", lambda v: "over TLS" if v.lower() == "true" else "without TLS"),
    "s3:ResourceAccount": ("only in buckets of {}", "unless the bucket is of {}", _account),
    "kms:ViaService": ("only through {}", "unless through {}", _via_service),
    "kms:EncryptionContext:aws:logs:arn": ("only for the log groups {}", "unless for the log groups {}", _log_group),
    "kms:EncryptionContext:aws:s3:arn": ("only for {}", "unless for {}", str),
    "bedrock:InferenceProfileArn": ("only through the profiles {}", "unless through the profiles {}", _profile),
    "bedrock:GuardrailIdentifier": ("only with the guardrail {}", "unless the guardrail {} is applied", str),
    "cloudwatch:namespace": ("only in the metric namespace {}", "unless in the namespace {}", str),
    "iam:PassedToService": ("only when passed to {}", "unless passed to {}", str),
    "sts:ExternalId": ("only with the external ID {}", "unless the external ID is {}", str),
}


def _values_of(raw: Any) -> list[str]:
    return [str(v) for v in as_list(raw)]


def _phrase(condition_operator: str, key: str, raw: Any) -> str:
    qualifier, _, base = condition_operator.rpartition(":")
    exists = base.endswith("IfExists")
    base = base.removesuffix("IfExists")
    negated = base in _NEGATED
    values = _values_of(raw)
    wording = _KEYS.get(key)
    if base == "Null":
        text = f"only when {key} is " + ("absent" if values[0].lower() == "true" else "present")
    elif wording and not base.startswith(("Numeric", "Date")):
        positive, negative, word = wording
        text = (negative if negated else positive).format(_either([word(v) for v in values]))
    else:
        words = _OPERATORS.get(base.replace("Not", "", 1) if negated else base, base)
        text = ("unless " if negated else "only when ") + f"{key} {words} {_either(values)}"
    if qualifier:
        text += " (for any value)" if qualifier == "ForAnyValue" else " (for every value)"
    return text + (" (when present)" if exists else "")


def describe(condition: Mapping[str, Any] | None) -> list[str]:
    """The phrases of one `Condition` block, in its order; all of them hold together (IAM's AND)."""
    return [
        _phrase(str(condition_operator), str(key), raw)
        for condition_operator, keys in (condition or {}).items()
        for key, raw in (keys or {}).items()
    ]


def in_words(condition: Mapping[str, Any] | None) -> str:
    """One line: the phrases joined, or "" without a condition."""
    return ", ".join(describe(condition))

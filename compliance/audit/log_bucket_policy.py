"""Checks of the log bucket policy's denies: nobody but Bedrock writes log objects, nobody deletes them.

A statement counts when it denies everyone the action on the objects of every log prefix, and its condition only
exempts principals: Bedrock's service principal (`aws:PrincipalServiceName`) for writes, named principals
(`aws:PrincipalArn`, e.g. a break-glass role) for both.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from fnmatch import fnmatchcase
from typing import Any

from compliance.audit.checks import Check
from compliance.aws import AwsError, Client, error_code, error_text
from core.catalog.scopes import partition_of
from core.invocation_logging.guard import BEDROCK_SERVICE_PRINCIPAL

PRINCIPAL_EXEMPTIONS = ("ArnNotEquals", "ArnNotLike")
SERVICE_EXEMPTIONS = ("StringNotEquals", "StringNotEqualsIfExists")


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _everyone(statement: Mapping[str, Any]) -> bool:
    principal = statement.get("Principal")
    return principal == "*" or (isinstance(principal, Mapping) and _as_list(principal.get("AWS")) == ["*"])


def _exemptions(condition: Mapping[str, Any], allow_service: bool) -> list[str] | None:
    """Who the condition exempts, or None when it does more than exempt principals."""
    exempt: list[str] = []
    for condition_operator, keys in condition.items():
        for key, values in keys.items():
            if condition_operator in PRINCIPAL_EXEMPTIONS and key.lower() == "aws:principalarn":
                exempt += [str(v) for v in _as_list(values)]
            elif (
                allow_service and condition_operator in SERVICE_EXEMPTIONS and key.lower() == "aws:principalservicename"
            ):
                exempt += [f"service {v}" for v in _as_list(values)]
            else:
                return None
    return exempt


def denying_statement(
    statements: Iterable[Mapping[str, Any]], action: str, objects: list[str], *, allow_service: bool
) -> tuple[str, list[str]] | None:
    """(Sid, exempted principals) of the first statement that denies `action` on every object to everyone."""
    for statement in statements:
        if statement.get("Effect") != "Deny" or not _everyone(statement):
            continue
        if not any(fnmatchcase(action.lower(), str(a).lower()) for a in _as_list(statement.get("Action", []))):
            continue
        resources = [str(r) for r in _as_list(statement.get("Resource", []))]
        if not all(any(fnmatchcase(obj, r) for r in resources) for obj in objects):
            continue
        exempt = _exemptions(statement.get("Condition") or {}, allow_service)
        if exempt is None:
            continue
        return str(statement.get("Sid") or "(no Sid)"), exempt
    return None


def check_bucket_policy_denies(s3: Client, bucket: str, prefixes: Iterable[str], region: str) -> list[Check]:
    """Two rows: writes to the log prefixes denied except to Bedrock; deletes denied (except a break-glass)."""
    bucket_uri = f"s3://{bucket}"
    objects = [f"arn:{partition_of(region)}:s3:::{bucket}/{p.strip('/')}/AWSLogs/any-object" for p in prefixes]
    rows = (
        (
            "s3.bucket.deny_log_writes",
            ("s3:PutObject",),
            "Deny s3:PutObject on the log prefixes except to Bedrock",
            True,
        ),
        (
            "s3.bucket.deny_log_deletes",
            ("s3:DeleteObject", "s3:DeleteObjectVersion"),
            "Deny s3:DeleteObject/DeleteObjectVersion",
            False,
        ),
    )
    try:
        document = json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])
    except AwsError as error:
        if error_code(error) == "NoSuchBucket":
            return []  # the s3.bucket.exists row says so
        actual = (
            "no bucket policy" if error_code(error) == "NoSuchBucketPolicy" else f"cannot read: {error_text(error)}"
        )
        return [Check(name, region, bucket_uri, expected, actual, False) for name, _, expected, _ in rows]
    statements = _as_list(document.get("Statement", []))
    checks = []
    for name, actions, expected, writes in rows:
        found = {a: denying_statement(statements, a, objects, allow_service=writes) for a in actions}
        missing = [action for action, denial in found.items() if denial is None]
        if missing:
            actual = f"no Deny stops account principals from {', '.join(missing)}"
            checks.append(Check(name, region, bucket_uri, expected, actual, False))
            continue
        denials = [denial for denial in found.values() if denial is not None]
        sids = dict.fromkeys(sid for sid, _ in denials)
        exempt = sorted({who for _, people in denials for who in people})
        if writes and f"service {BEDROCK_SERVICE_PRINCIPAL}" not in exempt:
            checks.append(Check(name, region, bucket_uri, expected, "writes denied to Bedrock too", False))
            continue
        actual = f"denied by {', '.join(sids)}" + (f"; exempt: {', '.join(exempt)}" if exempt else "; no exemption")
        checks.append(Check(name, region, bucket_uri, expected, actual, True))
    return checks

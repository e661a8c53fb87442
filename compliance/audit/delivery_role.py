"""Checks of the role Bedrock delivers CloudWatch Logs records with: it exists and trusts only Bedrock."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

from compliance.audit.checks import Check
from compliance.aws import AwsError, Client, error_code, error_text

BEDROCK = "bedrock.amazonaws.com"


def trusted_principals(document: Mapping[str, Any] | str) -> list[str]:
    """`Kind:value` of every principal an Allow statement of a trust policy lets in ('*' and NotPrincipal too)."""
    parsed = json.loads(unquote(document)) if isinstance(document, str) else document
    statements = parsed.get("Statement", [])
    found: set[str] = set()
    for statement in statements if isinstance(statements, list) else [statements]:
        if statement.get("Effect") != "Allow":
            continue
        if "NotPrincipal" in statement:
            found.add("NotPrincipal (everyone else)")
        principal = statement.get("Principal", {})
        if principal == "*":
            found.add("*")
            continue
        for kind, values in principal.items():
            for value in values if isinstance(values, list) else [values]:
                found.add(f"{kind}:{value}")
    return sorted(found)


def check_delivery_role(iam: Client, role_arn: str, region: str) -> list[Check]:
    name = role_arn.rsplit("/", 1)[-1]
    try:
        role = iam.get_role(RoleName=name)["Role"]
    except AwsError as error:
        actual = "not found" if error_code(error) == "NoSuchEntity" else f"cannot read: {error_text(error)}"
        return [Check("iam.role.exists", region, role_arn, "delivery role exists", actual, False)]
    principals = trusted_principals(role.get("AssumeRolePolicyDocument") or {})
    return [
        Check(
            "iam.role.trust",
            region,
            role_arn,
            f"trusts only Service:{BEDROCK}",
            ", ".join(principals) or "no Allow statement",
            principals == [f"Service:{BEDROCK}"],
        )
    ]

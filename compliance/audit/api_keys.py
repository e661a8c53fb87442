"""Long-term Amazon Bedrock API keys that already exist: IAM service-specific credentials for bedrock.amazonaws.com.

"Long-term API keys are associated with an IAM user and generated using IAM service-specific credentials" (IAM user
guide, https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_bedrock.html), so IAM lists them per user
(ListServiceSpecificCredentials). A short-term key is a pre-signed URL computed from a principal's own credentials:
nothing lists it, and no audit can (the SCP's DenyBedrockApiKeys refuses both kinds when they are used).

The SCP stops new keys; this row finds the ones made before it, as Prowler's bedrock_api_key_no_long_term_credentials
does: an active key that has not expired FAILS (with the user and key ID), an inactive or expired one is listed as
INFO, and an account without any passes. IAM is global: the rows carry the Region `global`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from compliance.audit.checks import Check
from compliance.aws import AwsError, Client, error_text

BEDROCK_SERVICE = "bedrock.amazonaws.com"
NAME = "iam.bedrock_api_keys"
GLOBAL = "global"
EXPECTED = f"no active long-term Bedrock API key (IAM service-specific credential for {BEDROCK_SERVICE})"


def _credentials_of(iam: Client, user: str) -> Iterator[Mapping[str, Any]]:
    """Every Bedrock credential of `user` (ListServiceSpecificCredentials has no paginator: Marker by hand)."""
    parameters: dict[str, Any] = {"UserName": user, "ServiceName": BEDROCK_SERVICE}
    while True:
        page = iam.list_service_specific_credentials(**parameters)
        yield from page.get("ServiceSpecificCredentials", [])
        if not page.get("IsTruncated"):
            return
        parameters["Marker"] = page["Marker"]


def _row(key: Mapping[str, Any], now: datetime) -> Check:
    named = f"user/{key.get('UserName')} key {key.get('ServiceSpecificCredentialId')}"
    status = str(key.get("Status") or "Active")
    expires = key.get("ExpirationDate")
    if status == "Active" and (expires is None or expires > now):
        lifetime = (
            "never expires" if expires is None else f"expires {expires:%Y-%m-%d} (in {(expires - now).days} days)"
        )
        actual = f"Active, {lifetime}: a long-term key calls Bedrock as this user until deleted or expired"
        return Check(NAME, GLOBAL, named, EXPECTED, actual, False)
    ended = f"expired {expires:%Y-%m-%d}" if expires is not None and expires <= now else status
    return Check(NAME, GLOBAL, named, EXPECTED, f"{ended}: cannot call Bedrock", True, "INFO")


def check_bedrock_api_keys(iam: Client, now: datetime | None = None) -> list[Check]:
    """A FAIL row per active long-term Bedrock API key, INFO per inactive or expired one; one PASS row if none."""
    now = now or datetime.now(UTC)
    try:
        users = [u["UserName"] for page in iam.get_paginator("list_users").paginate() for u in page.get("Users", [])]
        keys = [key for user in users for key in _credentials_of(iam, user)]
    except AwsError as error:
        return [Check(NAME, GLOBAL, "IAM users", EXPECTED, f"cannot read: {error_text(error)}", False)]
    if not keys:
        actual = f"none among {len(users)} IAM users"
        return [Check(NAME, GLOBAL, "IAM users", EXPECTED, actual, True)]
    return [_row(key, now) for key in keys]

"""Answers of the fake accounts (tests/support/fake_account.py, fake_organization.py) for the two calls of the audit
that moto cannot serve well, each checked against the real service model as botocore's Stubber checks its answers:

- IAM ListServiceSpecificCredentials: moto does not implement it (its IAM backend has no service-specific
  credentials). The fake account's long-term Bedrock API keys live in `AccountFacts.api_keys`, per IAM user (the users
  themselves are moto's, listed by moto's ListUsers).
- EC2 DescribeRegions: moto implements it, but its EC2 backend loads for seconds on first use in a process and then
  lists moto's every Region on each fresh backend; the fake account's enabled Regions are `AccountFacts.regions`, so
  each test decides which Regions the account has enabled (and a test of the Regions module reads moto's own answer).

Each answer is validated against the operation's output shape (`botocore.validate.validate_parameters`, what Stubber
runs), so an answer the real API could not give fails the test instead of passing it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from botocore.awsrequest import AWSResponse
from botocore.model import OperationModel
from botocore.validate import validate_parameters

from compliance.audit.enabled_regions import bedrock_regions

BEDROCK_SERVICE = "bedrock.amazonaws.com"


@functools.cache  # botocore's endpoint data is fixed for the process, and reading it loads EC2's model (~0.2 s)
def region_not_offering_bedrock(partition: str = "aws") -> str | None:
    """A Region with an EC2 endpoint but none of Bedrock in botocore's endpoint data (None once Bedrock is in all)."""
    import botocore.session

    offered = set(bedrock_regions(partition))
    return next(
        (r for r in botocore.session.get_session().get_available_regions("ec2", partition) if r not in offered), None
    )


@dataclass
class AccountFacts:
    """What the fake account answers: its enabled Regions `(name, OptInStatus)` and each user's Bedrock API keys."""

    regions: list[tuple[str, str]] = field(default_factory=list)
    api_keys: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def add_api_key(
        self,
        user: str,
        *,
        status: str = "Active",
        expires_in_days: int | None = None,
        key_id: str | None = None,
    ) -> str:
        """A long-term Bedrock API key of `user` (never expiring unless `expires_in_days`, negative for the past)."""
        now = datetime.now(UTC)
        key_id = key_id or f"ACCA{len(self.api_keys.get(user, [])):016d}"
        key: dict[str, Any] = {
            "UserName": user,
            "Status": status,
            "ServiceUserName": f"{user}-at-123456789012",
            "ServiceCredentialAlias": f"BedrockAPIKey-{user}",
            "CreateDate": now - timedelta(days=30),
            "ServiceSpecificCredentialId": key_id,
            "ServiceName": BEDROCK_SERVICE,
        }
        if expires_in_days is not None:
            key["ExpirationDate"] = now + timedelta(days=expires_in_days)
        self.api_keys.setdefault(user, []).append(key)
        return key_id

    def handlers(self) -> dict[str, Callable[..., tuple[AWSResponse, dict[str, Any]]]]:
        """botocore `before-call` handlers by event name."""
        return {
            "before-call.ec2.DescribeRegions": self._describe_regions,
            "before-call.iam.ListServiceSpecificCredentials": self._list_service_specific_credentials,
        }

    def _describe_regions(self, model: OperationModel, **_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        regions = [
            {"RegionName": name, "Endpoint": f"ec2.{name}.amazonaws.com", "OptInStatus": status}
            for name, status in self.regions
        ]
        return _answer(model, {"Regions": regions})

    def _list_service_specific_credentials(
        self, model: OperationModel, params: Mapping[str, Any], **_: Any
    ) -> tuple[AWSResponse, dict[str, Any]]:
        request = params["body"]
        keys = [
            key
            for key in self.api_keys.get(request["UserName"], [])
            if key["ServiceName"] == request.get("ServiceName", key["ServiceName"])
        ]
        return _answer(model, {"ServiceSpecificCredentials": keys, "IsTruncated": False})


def _answer(model: OperationModel, parsed: dict[str, Any]) -> tuple[AWSResponse, dict[str, Any]]:
    validate_parameters(parsed, model.output_shape)  # raises on a shape the real API could not return
    response = AWSResponse("https://example.invalid", 200, {}, None)  # type: ignore[arg-type]
    return response, {**parsed, "ResponseMetadata": {"HTTPStatusCode": 200}}

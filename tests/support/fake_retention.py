"""Amazon Bedrock's data retention reads of a fake account: moto implements none of the data retention operations,
so GetAccountDataRetention and GetAccountDataRetentionStorage are answered from a `RetentionRecord` by a botocore
`before-call` handler (as tests/support/fake_guards.py answers TestEventPattern). Each answer is checked against
botocore's bedrock service model first, so the audit reads what the real API returns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import botocore.session
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ParamValidationError
from botocore.validate import ParamValidator

_BEDROCK = botocore.session.Session().get_service_model("bedrock")
UPDATED = datetime(2026, 11, 25, tzinfo=UTC)


def _checked(operation: str, answer: dict[str, Any]) -> dict[str, Any]:
    report = ParamValidator().validate(answer, _BEDROCK.operation_model(operation).output_shape)
    if report.has_errors():
        raise ParamValidationError(report=report.generate_report())
    return answer


def _error(code: str, message: str, status: int) -> tuple[AWSResponse, dict[str, Any]]:
    response = AWSResponse("https://example.invalid", status, {}, None)  # type: ignore[arg-type]
    return response, {"Error": {"Code": code, "Message": message}, "ResponseMetadata": {"HTTPStatusCode": status}}


def _ok(answer: dict[str, Any]) -> tuple[AWSResponse, dict[str, Any]]:
    response = AWSResponse("https://example.invalid", 200, {}, None)  # type: ignore[arg-type]
    return response, {**answer, "ResponseMetadata": {"HTTPStatusCode": 200}}


@dataclass
class RetentionRecord:
    """The account's data retention as the stack sets it by default: mode `none` in the `deployed` Regions (None:
    every Region), `inherit` elsewhere ("A Region you have not configured remains at inherit", user guide, "Data
    retention"), no storage record. A test changes it to make a drift; `storage` maps a model provider to its
    GetAccountDataRetentionStorage answer."""

    mode: str = "none"
    deployed: tuple[str, ...] | None = None
    storage: dict[str, dict[str, Any]] = field(default_factory=dict)

    def customer_managed(self, bucket_arn: str, key_arn: str, owner: str, status: str = "active") -> None:
        self.storage["anthropic"] = {
            "storageDestination": "customer_managed",
            "storageConfiguration": {"s3BucketArn": bucket_arn, "kmsKeyArn": key_arn, "s3BucketOwner": owner},
            "s3BucketStatus": status,
            "kmsKeyStatus": status,
        }

    def answer_mode(self, context: dict[str, Any], **_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        deployed = self.deployed is None or context.get("client_region") in self.deployed
        mode = self.mode if deployed else "inherit"
        return _ok(_checked("GetAccountDataRetention", {"mode": mode, "updatedAt": UPDATED}))

    def answer_storage(self, params: dict[str, Any], **_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        provider = str(params.get("url_path", "")).rsplit("/", 1)[-1]
        if provider not in self.storage:
            return _error("ResourceNotFoundException", "No data retention storage configuration exists", 404)
        record = {"scope": "account", "modelProvider": provider, **self.storage[provider], "updatedAt": UPDATED}
        return _ok(_checked("GetAccountDataRetentionStorage", record))

    def handlers(self) -> list[tuple[str, Any]]:
        return [
            ("before-call.bedrock.GetAccountDataRetention", self.answer_mode),
            ("before-call.bedrock.GetAccountDataRetentionStorage", self.answer_storage),
        ]

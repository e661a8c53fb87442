"""The data retention requests are the API's: botocore validates each against the bedrock service model, and the
mode order is the user guide's."""

from __future__ import annotations

from typing import Any

import botocore.session
import pytest
from botocore.exceptions import ParamValidationError
from botocore.validate import ParamValidator

from core.data_retention.modes import DATA_RETENTION_MODES, MODE_ORDER, at_most, strictest
from core.data_retention.requests import (
    DELETE_RETENTION_STORAGE,
    GET_DATA_RETENTION,
    GET_RETENTION_STORAGE,
    PUT_DATA_RETENTION,
    PUT_RETENTION_STORAGE,
    STORAGE_DESTINATIONS,
    retention_request,
    storage_request,
)

MODEL = botocore.session.get_session().get_service_model("bedrock")
BUCKET_ARN = "arn:aws:s3:::claudeinvocationlogging-dataretentionbucket-1a2b3c"
KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def validate(operation: str, request: dict[str, Any]) -> None:
    report = ParamValidator().validate(request, MODEL.operation_model(operation).input_shape)
    if report.has_errors():
        raise ParamValidationError(report=report.generate_report())


def test_the_operations_exist_in_the_service_model() -> None:
    names = {PUT_DATA_RETENTION, GET_DATA_RETENTION, PUT_RETENTION_STORAGE, GET_RETENTION_STORAGE}
    assert names | {DELETE_RETENTION_STORAGE} <= set(MODEL.operation_names)


@pytest.mark.parametrize("mode", DATA_RETENTION_MODES)
def test_each_mode_request_is_valid(mode: Any) -> None:
    validate(PUT_DATA_RETENTION, retention_request(mode))


def test_storage_requests_are_valid_and_the_destinations_are_the_apis() -> None:
    shape = MODEL.operation_model(PUT_RETENTION_STORAGE).input_shape.members["storageDestination"]
    assert tuple(shape.enum) == STORAGE_DESTINATIONS
    customer = storage_request("customer_managed", bucket_arn=BUCKET_ARN, key_arn=KEY_ARN, bucket_owner="111122223333")
    validate(PUT_RETENTION_STORAGE, customer)
    assert customer["modelProvider"] == "anthropic"
    amazon = storage_request("amazon_managed")
    validate(PUT_RETENTION_STORAGE, amazon)
    # "amazon_managed forbids it" (the storage configuration); customer_managed requires it.
    assert "storageConfiguration" not in amazon
    with pytest.raises(ValueError, match="needs the bucket ARN"):
        storage_request("customer_managed", bucket_arn=BUCKET_ARN)


def test_a_wrong_request_would_be_caught() -> None:
    with pytest.raises(ParamValidationError):
        validate(PUT_DATA_RETENTION, {"mode": "none", "extra": 1})


def test_the_order_runs_from_zero_retention_to_provider_sharing_and_inherit_is_never_stricter() -> None:
    # Written from the user guide: "none < default < aws_review < provider_data_share".
    assert MODE_ORDER[:4] == ("none", "default", "aws_review", "provider_data_share")
    assert set(MODE_ORDER) == set(DATA_RETENTION_MODES)
    assert at_most("none") == ("none",)
    assert at_most("aws_review") == ("none", "default", "aws_review")
    assert strictest(("aws_review", "none")) == "none"
    assert strictest(("inherit", "provider_data_share")) == "provider_data_share"

"""The audit of the Region's logging configuration itself: its destinations, and the kinds of data delivered."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from compliance.audit.logging_configuration import check_delivery_flags, check_destinations, log_buckets
from tests.support.fake_account import (
    REGION,
    CompliantAccount,
    assert_only_these_rows_fail,
    audit,
    audit_config,
    failing,
)


def set_logging_flags(**flags: bool) -> Callable[[CompliantAccount], None]:
    def change(account: CompliantAccount) -> None:
        account.client("bedrock").put_model_invocation_logging_configuration(
            loggingConfig={**account.logging_config, **flags}
        )

    return change


def drop_large_data_destination(account: CompliantAccount) -> None:
    cloudwatch = {
        k: v for k, v in account.logging_config["cloudWatchConfig"].items() if k != "largeDataDeliveryS3Config"
    }
    account.client("bedrock").put_model_invocation_logging_configuration(
        loggingConfig={**account.logging_config, "cloudWatchConfig": cloudwatch}
    )


DRIFTS = [
    pytest.param(
        set_logging_flags(textDataDeliveryEnabled=False),
        {"bedrock.logging.data.text": "textDataDeliveryEnabled=false"},
        id="text-flag-off",
    ),
    pytest.param(
        set_logging_flags(videoDataDeliveryEnabled=True),
        {"bedrock.logging.data.video": "videoDataDeliveryEnabled=true"},
        id="unconfigured-video-flag-on",
    ),
    pytest.param(
        drop_large_data_destination,
        {"bedrock.logging.large_data": "missing bucketName, keyPrefix"},
        id="large-data-destination-dropped",
    ),
]


@pytest.mark.parametrize(("drift", "expected_failures"), DRIFTS)
def test_drift_fails_its_own_row_only(
    compliant_account: CompliantAccount,
    drift: Callable[[CompliantAccount], None],
    expected_failures: dict[str, str],
) -> None:
    drift(compliant_account)
    assert_only_these_rows_fail(compliant_account, expected_failures)


def test_configured_kinds_decide_the_flags(compliant_account: CompliantAccount) -> None:
    code, checks, _ = audit(compliant_account, audit_config(log_data=["text"]))
    assert code == 1
    assert set(failing(checks)) == {"bedrock.logging.data.image"}


def test_a_destination_without_its_prefix_is_named() -> None:
    rows = check_destinations(
        {"s3Config": {"bucketName": "logs"}, "cloudWatchConfig": {"logGroupName": "g", "roleArn": "r"}}, REGION
    )
    by_name = {row.name: row for row in rows}
    assert by_name["bedrock.logging.s3"].actual == "missing keyPrefix (bucketName=logs)"
    assert by_name["bedrock.logging.cloudwatch"].passed
    assert by_name["bedrock.logging.large_data"].actual == "missing bucketName, keyPrefix"


def test_a_flag_left_out_counts_as_off() -> None:
    rows = {row.name: row for row in check_delivery_flags({"textDataDeliveryEnabled": True}, ["text", "image"], REGION)}
    assert rows["bedrock.logging.data.text"].passed
    assert rows["bedrock.logging.data.image"].actual == "imageDataDeliveryEnabled=false"
    assert not rows["bedrock.logging.data.image"].passed
    assert all(rows[f"bedrock.logging.data.{kind}"].passed for kind in ("embedding", "video", "audio"))


def test_each_bucket_is_read_once_with_every_prefix_bedrock_writes_there() -> None:
    logging = {
        "s3Config": {"bucketName": "logs", "keyPrefix": "invocation-logs"},
        "cloudWatchConfig": {"largeDataDeliveryS3Config": {"bucketName": "logs", "keyPrefix": "large-payloads"}},
    }
    assert log_buckets(logging) == {"logs": ["invocation-logs", "large-payloads"]}
    other = {**logging, "s3Config": {"bucketName": "other"}}
    assert log_buckets(other) == {"other": [""], "logs": ["large-payloads"]}

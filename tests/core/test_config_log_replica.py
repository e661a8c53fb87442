"""The `log_replica_*` keys: a replica must fit the rest of the configuration, or it is refused in one line."""

from __future__ import annotations

from typing import Any

import pytest

from core.config import ConfigError, LogReplica
from tests.support.project import ARCHIVE_ACCOUNT, ARCHIVE_BUCKET_ARN, ARCHIVE_KEY_ARN, config_for

REPLICA_BUCKET, REPLICA_KEY, REPLICA_ACCOUNT = ARCHIVE_BUCKET_ARN, ARCHIVE_KEY_ARN, ARCHIVE_ACCOUNT
REPLICA = {"log_replica_bucket_arn": REPLICA_BUCKET, "log_replica_kms_key_arn": REPLICA_KEY}
EU = {
    "regions": ["eu-west-1"],
    "endpoint_scope": "eu",
    "models": ["claude-sonnet-4-6"],
    "invoker_default_model": "claude-sonnet-4-6",
}


@pytest.mark.parametrize(
    ("context", "message"),
    [
        (
            {**REPLICA, "log_replica_kms_key_arn": REPLICA_KEY.replace("eu-central-1", "us-east-1"), **EU},
            f"log_replica_kms_key_arn: '{REPLICA_KEY.replace('eu-central-1', 'us-east-1')}' is not valid; allowed: "
            "a key (and bucket) in a Region the configured models' calls may be served in, so the copy keeps data "
            "residency: eu-central-1, eu-north-1, eu-south-1, eu-south-2, eu-west-1, eu-west-3",
        ),
        (
            {**REPLICA, "log_replica_bucket_arn": "arn:aws-cn:s3:::example-bedrock-log-archive"},
            "log_replica_bucket_arn: 'arn:aws-cn:s3:::example-bedrock-log-archive' is not valid; allowed: a bucket "
            "ARN in the partition of regions (aws)",
        ),
        (
            {**REPLICA, "log_replica_kms_key_arn": REPLICA_KEY.replace("arn:aws:", "arn:aws-cn:")},
            f"log_replica_kms_key_arn: '{REPLICA_KEY.replace('arn:aws:', 'arn:aws-cn:')}' is not valid; allowed: a "
            "key ARN in the partition of regions (aws)",
        ),
        (
            {**REPLICA, "log_replica_account": "999988887777"},
            f"log_replica_kms_key_arn: '{REPLICA_KEY}' is not valid; allowed: a key of the replica account 9999",
        ),
        (
            {**REPLICA, "log_replica_account": REPLICA_ACCOUNT, "account": REPLICA_ACCOUNT},
            f"log_replica_account: '{REPLICA_ACCOUNT}' is not valid; allowed: an account other than `account`",
        ),
        (
            {"log_replica_account": REPLICA_ACCOUNT},
            f"log_replica_account: '{REPLICA_ACCOUNT}' is not valid; allowed: unset when log_replica_bucket_arn",
        ),
    ],
)
def test_replication_settings_that_do_not_fit_together_are_refused(context: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError) as error:
        config_for(**context)
    assert str(error.value).startswith(message), str(error.value)
    assert "\n" not in str(error.value)


def test_replication_settings_are_parsed() -> None:
    replica = config_for(**REPLICA, **EU, log_replica_account=REPLICA_ACCOUNT).logging.replica
    assert replica == LogReplica(bucket_arn=REPLICA_BUCKET, kms_key_arn=REPLICA_KEY, account=REPLICA_ACCOUNT)
    # The replica's Region is its key's (S3 requires the key in the bucket's Region).
    assert replica.region == "eu-central-1"
    assert config_for(**REPLICA, **EU).logging.replica == LogReplica(REPLICA_BUCKET, REPLICA_KEY, None)
    assert config_for().logging.replica is None


def test_the_global_scope_lets_the_replica_be_in_any_region() -> None:
    key = REPLICA_KEY.replace("eu-central-1", "ap-southeast-2")
    replica = config_for(**{**REPLICA, "log_replica_kms_key_arn": key}).logging.replica
    assert replica is not None and replica.region == "ap-southeast-2"


def test_a_replica_stays_where_the_configured_models_calls_may_be_served() -> None:
    """From eu-west-1 the eu profiles route to the six EU Regions only: a copy in London (a destination only for
    calls sent from London) would move the data; with eu-west-2 deployed too, it is where calls may be served."""
    london_key = REPLICA_KEY.replace("eu-central-1", "eu-west-2")
    with pytest.raises(ConfigError, match=r"^log_replica_kms_key_arn: .* data residency: eu-central-1, eu-north-1"):
        config_for(**{**REPLICA, **EU, "log_replica_kms_key_arn": london_key})
    replica = config_for(
        **{**REPLICA, **EU, "regions": ["eu-west-1", "eu-west-2"], "log_replica_kms_key_arn": london_key}
    )
    assert replica.logging.replica is not None

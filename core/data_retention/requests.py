"""The Bedrock control-plane calls that set an account's data retention, their requests, and their IAM actions.

Operations and request shapes are botocore's bedrock 2023-04-20 service model (the API AWS ships; the tests check
every request against it) and the Amazon Bedrock API reference
(https://docs.aws.amazon.com/bedrock/latest/APIReference/API_PutAccountDataRetention.html,
https://docs.aws.amazon.com/bedrock/latest/APIReference/API_PutAccountDataRetentionStorage.html). There is no
DeleteAccountDataRetention: a mode is only ever replaced by another.

IAM: the user guide's "Data retention" page (https://docs.aws.amazon.com/bedrock/latest/userguide/data-retention.html)
names the action `bedrock:PutAccountDataRetention` and its condition key `bedrock:DataRetentionMode`; the Service
Authorization Reference for Amazon Bedrock
(https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonbedrock.html) lists
`bedrock:GetAccountDataRetention` (Read). No AWS page we could read names the IAM actions of the retention *storage*
operations, nor the CloudTrail event names of any of them: the storage actions come from the configuration
(`data_retention_storage_actions`), and the operation names below are API names, not confirmed event names.
"""

from __future__ import annotations

from typing import Any, Literal, get_args

from core.data_retention.modes import DataRetentionMode

PUT_DATA_RETENTION = "PutAccountDataRetention"
GET_DATA_RETENTION = "GetAccountDataRetention"
PUT_RETENTION_STORAGE = "PutAccountDataRetentionStorage"
GET_RETENTION_STORAGE = "GetAccountDataRetentionStorage"
DELETE_RETENTION_STORAGE = "DeleteAccountDataRetentionStorage"
# The operations that change where or whether an account's inference data is retained.
RETENTION_CHANGES = (PUT_DATA_RETENTION, PUT_RETENTION_STORAGE, DELETE_RETENTION_STORAGE)

PUT_DATA_RETENTION_ACTION = f"bedrock:{PUT_DATA_RETENTION}"
GET_DATA_RETENTION_ACTION = f"bedrock:{GET_DATA_RETENTION}"
DATA_RETENTION_MODE_KEY = "bedrock:DataRetentionMode"

# The storage record is per model provider (botocore `DataRetentionStorageModelProvider`: anthropic, openai).
MODEL_PROVIDER = "anthropic"
StorageDestination = Literal["customer_managed", "amazon_managed"]
STORAGE_DESTINATIONS: tuple[StorageDestination, ...] = get_args(StorageDestination)


def retention_request(mode: DataRetentionMode) -> dict[str, Any]:
    """The arguments of PutAccountDataRetention."""
    return {"mode": mode}


def storage_request(
    destination: StorageDestination,
    *,
    bucket_arn: str | None = None,
    key_arn: str | None = None,
    bucket_owner: str | None = None,
) -> dict[str, Any]:
    """The arguments of PutAccountDataRetentionStorage for Anthropic's models: "customer_managed requires
    storageConfiguration; amazon_managed forbids it" (botocore)."""
    request: dict[str, Any] = {"modelProvider": MODEL_PROVIDER, "storageDestination": destination}
    if destination == "customer_managed":
        if not (bucket_arn and key_arn and bucket_owner):
            raise ValueError("customer_managed storage needs the bucket ARN, the key ARN and the bucket owner")
        request["storageConfiguration"] = {
            "s3BucketArn": bucket_arn,
            "kmsKeyArn": key_arn,
            "s3BucketOwner": bucket_owner,
        }
    return request

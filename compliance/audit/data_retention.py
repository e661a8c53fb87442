"""Checks of the Region's Amazon Bedrock data retention: the account's mode, and the storage record of Anthropic's
models (core.data_retention; docs/platform/data-retention.md).

- `bedrock.data_retention.mode`: GetAccountDataRetention returns the configured mode. With `unmanaged` the row only
  says what it found, and passes: the project leaves the setting to the account.
- `bedrock.data_retention.storage` (only when the storage is managed): GetAccountDataRetentionStorage of
  `anthropic` holds the configured destination and, for `customer_managed`, Bedrock reports the bucket and the key
  `active` (not `pending` or `access_denied`). Its IAM action is the configuration's (`data_retention_storage_actions`):
  without it the row fails with AccessDenied, which says what to grant.
"""

from __future__ import annotations

from compliance.audit.checks import Check
from compliance.aws import AwsError, Client, error_code, error_text
from core.data_retention.requests import MODEL_PROVIDER

RETENTION_RESOURCE = "data retention"
UNMANAGED = "unmanaged"


def check_mode(bedrock: Client, expected: str, region: str) -> Check:
    name = "bedrock.data_retention.mode"
    wanted = "any mode (unmanaged)" if expected == UNMANAGED else f"mode={expected}"
    try:
        found = str(bedrock.get_account_data_retention().get("mode", ""))
    except AwsError as error:
        return Check(name, region, RETENTION_RESOURCE, wanted, f"cannot read: {error_text(error)}", False)
    return Check(name, region, RETENTION_RESOURCE, wanted, f"mode={found}", expected in (UNMANAGED, found))


def check_storage(bedrock: Client, expected: str, region: str) -> Check:
    name = "bedrock.data_retention.storage"
    record_name = f"{RETENTION_RESOURCE} storage ({MODEL_PROVIDER})"
    wanted = expected + (" with bucket and key active" if expected == "customer_managed" else "")
    try:
        record = bedrock.get_account_data_retention_storage(modelProvider=MODEL_PROVIDER)
    except AwsError as error:
        if error_code(error) == "ResourceNotFoundException":
            missing = "no storage record: Bedrock's default storage applies"
            return Check(name, region, record_name, wanted, missing, False)
        return Check(name, region, record_name, wanted, f"cannot read: {error_text(error)}", False)
    destination = str(record.get("storageDestination", ""))
    statuses = {key: str(record[key]) for key in ("s3BucketStatus", "kmsKeyStatus") if record.get(key)}
    actual = ", ".join([destination, *(f"{key}={value}" for key, value in statuses.items())])
    passed = destination == expected
    if expected == "customer_managed":
        passed = passed and len(statuses) == 2 and set(statuses.values()) == {"active"}
    return Check(name, region, record_name, wanted, actual, passed)


def check_data_retention(bedrock: Client, mode: str, storage: str, region: str) -> list[Check]:
    """The mode row, and the storage row when the storage is managed."""
    rows = [check_mode(bedrock, mode, region)]
    if storage != UNMANAGED:
        rows.append(check_storage(bedrock, storage, region))
    return rows

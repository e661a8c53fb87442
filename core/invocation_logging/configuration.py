"""What Bedrock model invocation logging writes where: key prefixes, data kinds and the configuration request.

Bedrock records every call made through bedrock-runtime in the account and Region (request, response and
metadata) and delivers it to the S3 bucket and the CloudWatch Logs group that the Region's logging configuration
names ("Monitor model invocation using CloudWatch Logs and Amazon S3", Amazon Bedrock user guide).
"""

from __future__ import annotations

# Key prefixes inside the log bucket; Bedrock appends AWSLogs/<account>/BedrockModelInvocationLogs/... to each.
INVOCATION_LOG_PREFIX = "invocation-logs"
LARGE_PAYLOAD_PREFIX = "large-payloads"
LOG_PREFIXES = (INVOCATION_LOG_PREFIX, LARGE_PAYLOAD_PREFIX)

# Kinds of request and response data Bedrock can deliver (metadata is always delivered).
LOG_DATA_KINDS = ("text", "image", "embedding", "video", "audio")
# The PutModelInvocationLoggingConfiguration flag of each kind of data.
DELIVERY_FLAGS = {kind: f"{kind}DataDeliveryEnabled" for kind in LOG_DATA_KINDS}

# The Bedrock control-plane calls that change where, or whether, invocations are logged.
PUT_LOGGING_CONFIGURATION = "PutModelInvocationLoggingConfiguration"
DELETE_LOGGING_CONFIGURATION = "DeleteModelInvocationLoggingConfiguration"


def log_object_prefix(prefix: str, account: str) -> str:
    """The key prefix under which Bedrock writes the logs of `account` below one of our prefixes."""
    return f"{prefix}/AWSLogs/{account}/BedrockModelInvocationLogs/"


def logging_config(
    *, bucket_name: str, log_group_name: str, role_arn: str, log_data: tuple[str, ...]
) -> dict[str, object]:
    """The `loggingConfig` argument of PutModelInvocationLoggingConfiguration; every delivery flag explicit."""
    return {
        "s3Config": {"bucketName": bucket_name, "keyPrefix": INVOCATION_LOG_PREFIX},
        "cloudWatchConfig": {
            "logGroupName": log_group_name,
            "roleArn": role_arn,
            "largeDataDeliveryS3Config": {"bucketName": bucket_name, "keyPrefix": LARGE_PAYLOAD_PREFIX},
        },
        **{flag: kind in log_data for kind, flag in DELIVERY_FLAGS.items()},
    }


# What S3 replication of the log prefixes does in the replica bucket, and with its key, through the source's
# replication role (S3 user guide, "Setting up permissions for live replication"). Deletes are never replicated,
# so no s3:ReplicateDelete; the owner override only when another account owns the replica.
REPLICATE_ACTIONS = ("s3:ReplicateObject", "s3:ReplicateTags")
OWNER_OVERRIDE_ACTION = "s3:ObjectOwnerOverrideToBucketOwner"
REPLICA_KEY_ACTIONS = ("kms:Encrypt", "kms:GenerateDataKey")


def replica_object_arns(bucket_arn: str) -> list[str]:
    """The replicas of both log prefixes in a replica bucket (a replica keeps its source object's key)."""
    return [f"{bucket_arn}/{prefix}/*" for prefix in LOG_PREFIXES]

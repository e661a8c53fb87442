"""Customer-managed retention storage of one Region: `DataRetentionKey` and `DataRetentionBucket`.

Amazon Bedrock validates the bucket and key before it saves the storage record, and both must be in the Region where
the record is registered (core.data_retention.storage). Both are kept when the stack is deleted (retained data must
outlive a stack), the bucket is SSE-KMS with the key, versioned, TLS-only and logs its access to the logging stack's
access-log bucket. Bedrock deletes retained objects itself (it is granted s3:DeleteObject); the versions that leaves
behind expire after NONCURRENT_VERSION_DAYS, so a deleted object does not live on as a noncurrent version.

The bucket is named, not left to CloudFormation: the key policy must name the bucket's ARN
(kms:EncryptionContext:aws:s3:arn) while the bucket names the key, and a generated name would make each depend on the
other. The name holds the account, the Region and the start of the stack's UUID, so it is unique and never collides
with a bucket kept from an earlier, deleted stack.
"""

from __future__ import annotations

from aws_cdk import Aws, Duration, Fn, RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from core.data_retention.storage import storage_bucket_statements, storage_key_statements
from core.invocation_logging.retention import NONCURRENT_VERSION_DAYS
from stacks.shared.buckets import private_bucket_props
from stacks.shared.nag import acknowledge_in_regulatory_packs

ACCESS_LOG_PREFIX = "data-retention-bucket/"


def retention_bucket_name() -> str:
    """`claude-retention-<account>-<region>-<first 8 characters of the stack's UUID>` (at most 53 characters)."""
    stack_uuid_start = Fn.select(0, Fn.split("-", Fn.select(2, Fn.split("/", Aws.STACK_ID))))
    return f"claude-retention-{Aws.ACCOUNT_ID}-{Aws.REGION}-{stack_uuid_start}"


class RetentionStorage:
    """The key and the bucket Amazon Bedrock keeps retained data of Anthropic's models in, made in `scope`."""

    def __init__(self, scope: Construct, *, region: str, access_log_bucket: s3.IBucket) -> None:
        stack = Stack.of(scope)
        bucket_name = retention_bucket_name()
        bucket_arn = f"arn:{stack.partition}:s3:::{bucket_name}"
        self.key = kms.Key(
            scope,
            "DataRetentionKey",
            description=f"Encrypts the data Amazon Bedrock retains of {region} (customer-managed retention storage)",
            enable_key_rotation=True,
            removal_policy=RemovalPolicy.RETAIN,
        )
        for statement in storage_key_statements(bucket_arn, account=stack.account, region=region):
            self.key.add_to_resource_policy(iam.PolicyStatement.from_json(statement))
        self.bucket = s3.Bucket(
            scope,
            "DataRetentionBucket",
            bucket_name=bucket_name,
            **private_bucket_props(self.key),
            server_access_logs_bucket=access_log_bucket,
            server_access_logs_prefix=ACCESS_LOG_PREFIX,
            lifecycle_rules=[
                s3.LifecycleRule(
                    id="ExpireDeletedRetainedData",
                    noncurrent_version_expiration=Duration.days(NONCURRENT_VERSION_DAYS),
                    abort_incomplete_multipart_upload_after=Duration.days(1),
                ),
                s3.LifecycleRule(id="RemoveExpiredDeleteMarkers", expired_object_delete_marker=True),
            ],
            removal_policy=RemovalPolicy.RETAIN,
        )
        for statement in storage_bucket_statements(self.bucket.bucket_arn, account=stack.account):
            self.bucket.add_to_resource_policy(iam.PolicyStatement.from_json(statement))
        if self.bucket.policy is not None:
            self.bucket.policy.apply_removal_policy(RemovalPolicy.RETAIN)
        acknowledge_in_regulatory_packs(
            self.bucket.node.default_child,  # type: ignore[arg-type]
            "S3BucketReplicationEnabled",
            "Amazon Bedrock accepts retention storage only in the Region where it is registered "
            "(PutAccountDataRetentionStorage), and retained inference data must not leave it; versioning, KMS "
            "encryption and S3's storage across Availability Zones protect the single copy.",
        )

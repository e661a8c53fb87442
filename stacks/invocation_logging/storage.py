"""Where the invocation logs of one Region are kept: the KMS key, the log and access-log buckets, the log group.

- `InvocationLogBucket`: SSE-KMS, versioned, TLS-only, expired after the retention, under Object Lock (governance
  by default, `log_object_lock`); ABAC on, like the access-log bucket, so the organization's tag-based policies
  reach both ("When ABAC is disabled for the general purpose buckets, you can only use tags for cost tracking
  purposes", AWS::S3::Bucket AbacStatus);
  Bedrock may put objects only under its own key prefixes of this account and Region, nobody else may write any
  object, and nobody but the optional break-glass principal may delete one (`core.invocation_logging.guard`).
- `InvocationLogGroup`: KMS-encrypted, retained the same number of days.
- `AccessLogBucket`: the S3 server access logs of the log bucket (SSE-S3: S3 delivers access logs to no other).

Created in the logging construct's own scope, so their logical IDs stay what they have always been.
"""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import Duration, RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from constructs import Construct

from core.invocation_logging.configuration import LOG_PREFIXES, log_object_prefix
from core.invocation_logging.guard import log_bucket_deny_statements
from core.invocation_logging.retention import NONCURRENT_VERSION_DAYS
from stacks.invocation_logging.replication import LogReplication
from stacks.shared.buckets import private_bucket_props
from stacks.shared.encryption import allow_cloudwatch_logs
from stacks.shared.lifetimes import expiry_rules, retention_period
from stacks.shared.nag import acknowledge_in_regulatory_packs

BEDROCK = "bedrock.amazonaws.com"
ACCESS_LOG_PREFIX = "invocation-log-bucket/"


def bedrock_conditions(scope: Construct, region: str) -> dict[str, dict[str, str]]:
    """Bedrock acts for this account and this Region only (confused-deputy protection)."""
    stack = Stack.of(scope)
    return {
        "StringEquals": {"aws:SourceAccount": stack.account},
        "ArnLike": {"aws:SourceArn": f"arn:{stack.partition}:bedrock:{region}:{stack.account}:*"},
    }


class InvocationLogStorage:
    """The key, both buckets and the log group, made in `scope`."""

    def __init__(
        self,
        scope: Construct,
        *,
        region: str,
        retention_days: int,
        object_lock: str,
        object_lock_days: int,
        removal: RemovalPolicy,
        log_group_name: str,
        encrypted_log_group_names: Sequence[str],
        replication: LogReplication | None,
        break_glass_principal: str | None,
        keep_policy: bool,
    ) -> None:
        stack = Stack.of(scope)
        conditions = bedrock_conditions(scope, region)
        self.key = kms.Key(
            scope,
            "InvocationLogKey",
            description=f"Encrypts Amazon Bedrock model invocation logs of {region} (S3 bucket and CloudWatch Logs)",
            enable_key_rotation=True,
            removal_policy=removal,
        )
        self.key.add_to_resource_policy(
            iam.PolicyStatement(
                sid="AllowBedrockToWriteInvocationLogsOfThisAccountAndRegion",
                principals=[iam.ServicePrincipal(BEDROCK)],
                # GenerateDataKey to write SSE-KMS objects; Decrypt to complete multipart uploads of large objects.
                actions=["kms:GenerateDataKey", "kms:Decrypt"],
                resources=["*"],
                conditions=conditions,
            )
        )
        allow_cloudwatch_logs(
            self.key,
            sid="AllowCloudWatchLogsForTheInvocationLogGroupsOnly",
            region=region,
            log_group_arns=[
                f"arn:{stack.partition}:logs:{region}:{stack.account}:log-group:{name}"
                for name in encrypted_log_group_names
            ],
        )

        self.access_log_bucket = self._access_log_bucket(scope, retention_days, removal, replicated=bool(replication))
        lock: s3.ObjectLockRetention | None = None
        if object_lock == "governance":
            lock = s3.ObjectLockRetention.governance(Duration.days(object_lock_days))
        elif object_lock == "compliance":
            lock = s3.ObjectLockRetention.compliance(Duration.days(object_lock_days))
        self.bucket = s3.Bucket(
            scope,
            "InvocationLogBucket",
            **private_bucket_props(self.key),
            object_lock_enabled=lock is not None or None,
            object_lock_default_retention=lock,
            server_access_logs_bucket=self.access_log_bucket,
            server_access_logs_prefix=ACCESS_LOG_PREFIX,
            lifecycle_rules=expiry_rules(retention_days, noncurrent_days=NONCURRENT_VERSION_DAYS),
            # Tags count in access decisions: the organization's tag-based policies then reach the bucket.
            abac_status=True,
            replication_role=replication.role if replication else None,
            replication_rules=replication.rules() if replication else None,
            removal_policy=removal,
        )
        if replication is None:
            _acknowledge_single_copy(self.bucket)
        self.bucket.add_to_resource_policy(
            iam.PolicyStatement(
                sid="AllowBedrockToWriteInvocationLogsOfThisAccountAndRegion",
                principals=[iam.ServicePrincipal(BEDROCK)],
                actions=["s3:PutObject"],
                resources=[
                    self.bucket.arn_for_objects(f"{log_object_prefix(p, stack.account)}*") for p in LOG_PREFIXES
                ],
                conditions=conditions,
            )
        )
        for statement in log_bucket_deny_statements(
            self.bucket.bucket_arn, break_glass_principal=break_glass_principal
        ):
            self.bucket.add_to_resource_policy(iam.PolicyStatement.from_json(statement))
        if keep_policy and self.bucket.policy is not None:
            # A kept logging configuration still delivers here: the policy that lets Bedrock write, and nobody
            # else, must outlive the stack too.
            self.bucket.policy.apply_removal_policy(RemovalPolicy.RETAIN)
        self.log_group = logs.LogGroup(
            scope,
            "InvocationLogGroup",
            log_group_name=log_group_name,
            retention=retention_period(retention_days),
            encryption_key=self.key,
            removal_policy=removal,
        )

    @staticmethod
    def _access_log_bucket(scope: Construct, days: int, removal: RemovalPolicy, *, replicated: bool) -> s3.Bucket:
        bucket = s3.Bucket(
            scope,
            "AccessLogBucket",
            **private_bucket_props(None),  # SSE-S3: the target of S3 server access logs
            lifecycle_rules=expiry_rules(days, noncurrent_days=NONCURRENT_VERSION_DAYS),
            abac_status=True,
            removal_policy=removal,
        )
        acknowledge_in_regulatory_packs(
            bucket.node.default_child,  # type: ignore[arg-type]
            "S3DefaultEncryptionKMS",
            "Amazon S3 server access logging delivers only to buckets whose default encryption is SSE-S3 "
            "(AES-256); SSE-KMS is not supported for access-log target buckets. Objects are encrypted at rest.",
        )
        if replicated:
            # The invocation logs are replicated; their access logs are not, for a reason of their own.
            acknowledge_in_regulatory_packs(
                bucket.node.default_child,  # type: ignore[arg-type]
                "S3BucketReplicationEnabled",
                "This bucket holds S3 server access logs of the invocation-log bucket (who read or wrote which log "
                "object), an operational record kept log_retention_days in its Region; the invocation logs "
                "themselves are replicated (log_replica_bucket_arn). Versioning, lifecycle and S3's storage across "
                "Availability Zones protect it.",
            )
        else:
            _acknowledge_single_copy(bucket)
        return bucket


def _acknowledge_single_copy(bucket: s3.Bucket) -> None:
    acknowledge_in_regulatory_packs(
        bucket.node.default_child,  # type: ignore[arg-type]
        "S3BucketReplicationEnabled",
        "Invocation logs must stay in the Region they were recorded in unless the owner decides otherwise "
        "(data residency); versioning, KMS encryption, retention lifecycle and optional Object Lock protect the "
        "single copy, and S3 stores it redundantly across Availability Zones.",
    )

"""Construct: Amazon Bedrock model invocation logging to S3 and CloudWatch Logs for one Region.

Bedrock records every call made through bedrock-runtime in this account and Region (request, response
and metadata) and delivers it to:
- the S3 bucket `InvocationLogBucket` under `invocation-logs/`, SSE-KMS, versioned, TLS-only, lifecycle-expired
  after `log_retention_days`, optionally under S3 Object Lock;
- the CloudWatch Logs group `InvocationLogGroup`, KMS-encrypted, retained `log_retention_days`; payloads over
  100 KB and binary data go to the same bucket under `large-payloads/`.

With `log_replica_bucket_arn` set, S3 replicates both log prefixes of the bucket to a bucket the user owns (another
Region or account), re-encrypted with the replica's KMS key, through `LogReplicationRole`; deletions are not replicated.

CloudFormation has no resource type for the logging configuration, so `InvocationLoggingConfiguration` applies
it with the Bedrock API (`PutModelInvocationLoggingConfiguration`) through an `AwsCustomResource`.
"""

from __future__ import annotations

from aws_cdk import Aws, Duration, Fn, RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import custom_resources as cr
from constructs import Construct

from stacks.catalog import partition_of
from stacks.compliance import acknowledge, acknowledge_all_packs
from stacks.config import DELIVERY_FLAGS, AppConfig
from stacks.encryption import allow_cloudwatch_logs
from stacks.retention import removal_policy, retention_days

BEDROCK = "bedrock.amazonaws.com"
# Key prefixes inside the log bucket: Bedrock appends AWSLogs/<account>/BedrockModelInvocationLogs/... to each.
INVOCATION_LOG_PREFIX = "invocation-logs"
LARGE_PAYLOAD_PREFIX = "large-payloads"
ACCESS_LOG_PREFIX = "invocation-log-bucket/"
# Overwritten or deleted log objects stay recoverable this long: time to notice tampering, short for privacy.
NONCURRENT_VERSION_DAYS = 7
# The logging configuration is a per-Region singleton of the account; this id never changes, so an update of
# the parameters is an update of the same resource and never a replacement (which would delete the old one).
PHYSICAL_RESOURCE_ID = "bedrock-model-invocation-logging"
PROVIDER_FUNCTION_ID = "AWS679f53fac002430cb0da5b7982bd2287"
LOG_WRITE_ACTIONS = ["logs:CreateLogStream", "logs:PutLogEvents"]
S3 = "s3.amazonaws.com"
# The key prefixes S3 replicates, one replication rule each (a rule's filter holds one prefix).
REPLICATED_PREFIXES = (INVOCATION_LOG_PREFIX, LARGE_PAYLOAD_PREFIX)


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


class ClaudeInvocationLogging(Construct):
    """Describes where Bedrock writes the invocation logs of one Region, who may write them, and for how long."""

    def __init__(self, scope: Construct, construct_id: str, *, config: AppConfig, region: str) -> None:
        super().__init__(scope, construct_id)
        stack = Stack.of(self)
        self.partition = partition_of(region)
        self.retention_days = config.log_retention_days
        self.log_data = config.log_data
        removal = removal_policy(config.log_removal_policy)
        account = stack.account
        bedrock_source_arn = f"arn:{self.partition}:bedrock:{region}:{account}:*"
        bedrock_conditions = {
            "StringEquals": {"aws:SourceAccount": account},
            "ArnLike": {"aws:SourceArn": bedrock_source_arn},
        }

        # Log group names are the one exception to "CloudFormation generates names": the key policy must name
        # the log group's ARN (kms:EncryptionContext:aws:logs:arn) before the group exists, and a generated name
        # would make the key and the group depend on each other. The name ends with the stack's own UUID, so it
        # is exact in the key policy yet never collides with a group retained from an earlier, deleted stack.
        stack_uuid = Fn.select(2, Fn.split("/", Aws.STACK_ID))
        self.log_group_name = f"/aws/bedrock/model-invocations/{stack.stack_name}/{stack_uuid}"
        provider_log_group_name = f"/aws/lambda/{stack.stack_name}/logging-configuration/{stack_uuid}"

        self.key = kms.Key(
            self,
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
                conditions=bedrock_conditions,
            )
        )
        log_group_arns = [
            f"arn:{self.partition}:logs:{region}:{account}:log-group:{name}"
            for name in (self.log_group_name, provider_log_group_name)
        ]
        allow_cloudwatch_logs(
            self.key,
            sid="AllowCloudWatchLogsForTheInvocationLogGroupsOnly",
            region=region,
            log_group_arns=log_group_arns,
        )

        self.access_log_bucket = self._access_log_bucket(config, removal)
        self.replication_role: iam.Role | None = None
        if config.log_replica_bucket_arn:
            # S3 assumes the role only for this account's buckets. (Naming the source bucket in the trust policy
            # would make the bucket and the role depend on each other.)
            self.replication_role = iam.Role(
                self,
                "LogReplicationRole",
                description=f"Assumed by Amazon S3 to replicate the invocation logs of {region} to the replica bucket",
                assumed_by=iam.ServicePrincipal(S3).with_conditions({"StringEquals": {"aws:SourceAccount": account}}),
            )
        self.bucket = self._log_bucket(config, removal)
        if self.replication_role is not None:
            self._grant_replication(config, region, self.replication_role)
        self.bucket.add_to_resource_policy(
            iam.PolicyStatement(
                sid="AllowBedrockToWriteInvocationLogsOfThisAccountAndRegion",
                principals=[iam.ServicePrincipal(BEDROCK)],
                actions=["s3:PutObject"],
                resources=[
                    self.bucket.arn_for_objects(f"{prefix}/AWSLogs/{account}/BedrockModelInvocationLogs/*")
                    for prefix in (INVOCATION_LOG_PREFIX, LARGE_PAYLOAD_PREFIX)
                ],
                conditions=bedrock_conditions,
            )
        )

        self.log_group = logs.LogGroup(
            self,
            "InvocationLogGroup",
            log_group_name=self.log_group_name,
            retention=retention_days(config.log_retention_days),
            encryption_key=self.key,
            removal_policy=removal,
        )

        # Every permission in one customer-managed policy a reviewer can read; no inline policy, no AWS managed one.
        self.delivery_policy = iam.ManagedPolicy(
            self,
            "LoggingDeliveryPolicy",
            description=f"Amazon Bedrock: write model invocation logs of {region} to the invocation log group only",
            statements=[
                iam.PolicyStatement(
                    sid="WriteInvocationLogStreams",
                    actions=LOG_WRITE_ACTIONS,
                    resources=[self.log_group.log_group_arn, f"{self.log_group.log_group_arn}:log-stream:*"],
                )
            ],
        )
        self.delivery_role = iam.Role(
            self,
            "LoggingDeliveryRole",
            description=f"Assumed by Amazon Bedrock to deliver model invocation logs of {region} to CloudWatch Logs",
            assumed_by=iam.ServicePrincipal(BEDROCK).with_conditions(bedrock_conditions),
            managed_policies=[self.delivery_policy],
        )
        log_group_id = stack.get_logical_id(self.log_group.node.default_child)  # type: ignore[arg-type]
        acknowledge(
            self.delivery_policy,
            f"AwsSolutions-IAM5[Resource::<{log_group_id}.Arn>:log-stream:*]",
            "Log streams of the invocation log group only: Amazon Bedrock names each stream when it delivers logs, "
            "so the stream part of the ARN cannot be known in advance.",
        )

        self.configuration = self._configuration(config, provider_log_group_name, removal)

    def _access_log_bucket(self, config: AppConfig, removal: RemovalPolicy) -> s3.Bucket:
        bucket = s3.Bucket(
            self,
            "AccessLogBucket",
            # S3 server access logging delivers only to buckets encrypted with SSE-S3.
            encryption=s3.BucketEncryption.S3_MANAGED,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            enforce_ssl=True,
            minimum_tls_version=1.2,
            versioned=True,
            lifecycle_rules=self._lifecycle_rules(config.log_retention_days),
            removal_policy=removal,
        )
        acknowledge_all_packs(
            bucket.node.default_child,  # type: ignore[arg-type]
            "S3DefaultEncryptionKMS",
            "Amazon S3 server access logging delivers only to buckets whose default encryption is SSE-S3 "
            "(AES-256); SSE-KMS is not supported for access-log target buckets. Objects are encrypted at rest.",
        )
        if config.log_replica_bucket_arn:
            # The invocation logs are replicated; their access logs are not, for a reason of their own.
            acknowledge_all_packs(
                bucket.node.default_child,  # type: ignore[arg-type]
                "S3BucketReplicationEnabled",
                "This bucket holds S3 server access logs of the invocation-log bucket (who read or wrote which log "
                "object), an operational record kept log_retention_days in its Region; the invocation logs "
                "themselves are replicated (log_replica_bucket_arn). Versioning, lifecycle and S3's storage across "
                "Availability Zones protect it.",
            )
        else:
            self._acknowledge_replication(bucket)
        return bucket

    def _log_bucket(self, config: AppConfig, removal: RemovalPolicy) -> s3.Bucket:
        lock: s3.ObjectLockRetention | None = None
        if config.log_object_lock == "governance":
            lock = s3.ObjectLockRetention.governance(Duration.days(config.log_object_lock_days))
        elif config.log_object_lock == "compliance":
            lock = s3.ObjectLockRetention.compliance(Duration.days(config.log_object_lock_days))
        bucket = s3.Bucket(
            self,
            "InvocationLogBucket",
            encryption=s3.BucketEncryption.KMS,
            encryption_key=self.key,
            bucket_key_enabled=True,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            enforce_ssl=True,
            minimum_tls_version=1.2,
            versioned=True,
            object_lock_enabled=lock is not None or None,
            object_lock_default_retention=lock,
            server_access_logs_bucket=self.access_log_bucket,
            server_access_logs_prefix=ACCESS_LOG_PREFIX,
            lifecycle_rules=self._lifecycle_rules(config.log_retention_days),
            replication_role=self.replication_role,
            replication_rules=self._replication_rules(config),
            removal_policy=removal,
        )
        if not config.log_replica_bucket_arn:
            self._acknowledge_replication(bucket)
        return bucket

    def _replication_rules(self, config: AppConfig) -> list[s3.ReplicationRule] | None:
        if not (config.log_replica_bucket_arn and config.log_replica_kms_key_arn):
            return None
        # With `account`, aws-cdk-lib writes Destination.Account and may set the owner override (cross-account).
        destination = s3.Bucket.from_bucket_attributes(
            self,
            "LogReplicaBucket",
            bucket_arn=config.log_replica_bucket_arn,
            account=config.log_replica_account,
            region=config.log_replica_region,
        )
        replica_key = kms.Key.from_key_arn(self, "LogReplicaKey", config.log_replica_kms_key_arn)
        return [
            s3.ReplicationRule(
                id=f"Replicate-{prefix}",
                priority=priority,
                destination=destination,
                filter=s3.Filter(prefix=f"{prefix}/"),
                # Source objects are SSE-KMS: S3 skips them unless asked, and re-encrypts replicas with this key.
                sse_kms_encrypted_objects=True,
                kms_key=replica_key,
                # A deleted (or expired) log must not delete the copy: the replica's own lifecycle decides.
                delete_marker_replication=False,
                # Replicas owned by the replica account (AccessControlTranslation Owner=Destination).
                access_control_transition=True if config.log_replica_account else None,
            )
            for priority, prefix in enumerate(REPLICATED_PREFIXES, start=1)
        ]

    def _grant_replication(self, config: AppConfig, region: str, role: iam.Role) -> None:
        """Exactly what S3 replication of the two log prefixes needs, in one customer-managed policy."""
        assert config.log_replica_bucket_arn and config.log_replica_kms_key_arn and config.log_replica_region
        replica = config.log_replica_bucket_arn
        source_objects = [self.bucket.arn_for_objects(f"{prefix}/*") for prefix in REPLICATED_PREFIXES]
        replica_objects = [f"{replica}/{prefix}/*" for prefix in REPLICATED_PREFIXES]
        read_actions = ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"]
        if config.log_object_lock != "off":
            # S3 replicates each version's retention with it; the replica bucket must have Object Lock enabled.
            read_actions += ["s3:GetObjectRetention", "s3:GetObjectLegalHold"]
        replicate_actions = ["s3:ReplicateObject", "s3:ReplicateTags"]
        if config.log_replica_account:
            replicate_actions.append("s3:ObjectOwnerOverrideToBucketOwner")
        # The policy is attached from its side (`roles=`): the role is referenced by the source key's policy and by
        # the bucket's replication configuration, which this policy references in turn.
        self.replication_policy = iam.ManagedPolicy(
            self,
            "LogReplicationPolicy",
            description=f"Amazon S3: replicate the invocation logs of {region} to {replica}, and nothing else",
            roles=[role],
            statements=[
                iam.PolicyStatement(
                    sid="ReadReplicationConfigurationOfTheLogBucket",
                    actions=["s3:GetReplicationConfiguration", "s3:ListBucket"],
                    resources=[self.bucket.bucket_arn],
                ),
                iam.PolicyStatement(
                    sid="ReadLogObjectVersionsForReplication",
                    actions=read_actions,
                    resources=source_objects,
                ),
                # No s3:ReplicateDelete: delete markers are not replicated, and the role could not replicate one.
                iam.PolicyStatement(
                    sid="ReplicateLogObjectsToTheReplicaBucket",
                    actions=replicate_actions,
                    resources=replica_objects,
                ),
                iam.PolicyStatement(
                    sid="DecryptLogObjectsThroughS3",
                    actions=["kms:Decrypt"],
                    resources=[self.key.key_arn],
                    conditions={
                        "StringEquals": {"kms:ViaService": f"s3.{region}.amazonaws.com"},
                        # The bucket ARN is the context under an S3 Bucket Key; object ARNs otherwise.
                        "StringLike": {"kms:EncryptionContext:aws:s3:arn": [self.bucket.bucket_arn, *source_objects]},
                    },
                ),
                iam.PolicyStatement(
                    sid="EncryptReplicasThroughS3",
                    actions=["kms:Encrypt", "kms:GenerateDataKey"],
                    resources=[config.log_replica_kms_key_arn],
                    conditions={
                        "StringEquals": {"kms:ViaService": f"s3.{config.log_replica_region}.amazonaws.com"},
                        "StringLike": {"kms:EncryptionContext:aws:s3:arn": [replica, *replica_objects]},
                    },
                ),
            ],
        )
        self.key.add_to_resource_policy(
            iam.PolicyStatement(
                sid="AllowLogReplicationToDecryptThroughS3",
                principals=[iam.ArnPrincipal(role.role_arn)],
                actions=["kms:Decrypt"],
                resources=["*"],
                conditions={"StringEquals": {"kms:ViaService": f"s3.{region}.amazonaws.com"}},
            )
        )
        bucket_id = Stack.of(self).get_logical_id(self.bucket.node.default_child)  # type: ignore[arg-type]
        for prefix in REPLICATED_PREFIXES:
            acknowledge(
                self.replication_policy,
                f"AwsSolutions-IAM5[Resource::<{bucket_id}.Arn>/{prefix}/*]",
                f"Log objects under {prefix}/ only: S3 replication reads each new object version of the prefix it "
                "replicates, whose keys Amazon Bedrock chooses when it delivers.",
            )
            acknowledge(
                self.replication_policy,
                f"AwsSolutions-IAM5[Resource::{replica}/{prefix}/*]",
                f"Replicas under {prefix}/ of the replica bucket only: a replica keeps its source object's key, "
                "which Amazon Bedrock chooses when it delivers.",
            )

    @staticmethod
    def _lifecycle_rules(days: int) -> list[s3.LifecycleRule]:
        return [
            s3.LifecycleRule(
                id="ExpireAfterRetention",
                expiration=Duration.days(days),
                noncurrent_version_expiration=Duration.days(NONCURRENT_VERSION_DAYS),
                abort_incomplete_multipart_upload_after=Duration.days(1),
            ),
            s3.LifecycleRule(id="RemoveExpiredDeleteMarkers", expired_object_delete_marker=True),
        ]

    @staticmethod
    def _acknowledge_replication(bucket: s3.Bucket) -> None:
        acknowledge_all_packs(
            bucket.node.default_child,  # type: ignore[arg-type]
            "S3BucketReplicationEnabled",
            "Invocation logs must stay in the Region they were recorded in unless the owner decides otherwise "
            "(data residency); versioning, KMS encryption, retention lifecycle and optional Object Lock protect the "
            "single copy, and S3 stores it redundantly across Availability Zones.",
        )

    def _configuration(
        self, config: AppConfig, provider_log_group_name: str, removal: RemovalPolicy
    ) -> cr.AwsCustomResource:
        stack = Stack.of(self)
        parameters = {
            "loggingConfig": logging_config(
                bucket_name=self.bucket.bucket_name,
                log_group_name=self.log_group.log_group_name,
                role_arn=self.delivery_role.role_arn,
                log_data=config.log_data,
            )
        }
        put = cr.AwsSdkCall(
            service="bedrock",
            action="PutModelInvocationLoggingConfiguration",
            parameters=parameters,
            physical_resource_id=cr.PhysicalResourceId.of(PHYSICAL_RESOURCE_ID),
        )
        delete = None
        actions = ["bedrock:PutModelInvocationLoggingConfiguration"]
        if not config.keep_logging_configuration_on_delete:
            delete = cr.AwsSdkCall(service="bedrock", action="DeleteModelInvocationLoggingConfiguration")
            actions.append("bedrock:DeleteModelInvocationLoggingConfiguration")

        provider_log_group = logs.LogGroup(
            self,
            "ConfigurationProviderLogGroup",
            log_group_name=provider_log_group_name,
            retention=retention_days(config.log_retention_days),
            encryption_key=self.key,
            removal_policy=removal,
        )
        # Every permission of the provider function in one role a reviewer reads; no AWS managed policy.
        provider_policy = iam.ManagedPolicy(
            self,
            "ConfigurationProviderPolicy",
            description="Apply the Bedrock model invocation logging configuration of this Region, and nothing else",
            statements=[
                iam.PolicyStatement(sid="ConfigureModelInvocationLogging", actions=actions, resources=["*"]),
                iam.PolicyStatement(
                    sid="PassDeliveryRoleToBedrockOnly",
                    actions=["iam:PassRole"],
                    resources=[self.delivery_role.role_arn],
                    conditions={"StringEquals": {"iam:PassedToService": BEDROCK}},
                ),
                iam.PolicyStatement(
                    sid="WriteOwnLogs",
                    actions=LOG_WRITE_ACTIONS,
                    resources=[provider_log_group.log_group_arn, f"{provider_log_group.log_group_arn}:log-stream:*"],
                ),
            ],
        )
        provider_role = iam.Role(
            self,
            "ConfigurationProviderRole",
            description="Runs the Bedrock API calls that apply the model invocation logging configuration",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            managed_policies=[provider_policy],
        )
        configuration = cr.AwsCustomResource(
            self,
            "InvocationLoggingConfiguration",
            resource_type="Custom::BedrockModelInvocationLogging",
            on_create=put,
            on_update=put,
            on_delete=delete,
            role=provider_role,
            log_group=provider_log_group,
            # Bedrock and its SDK client are in the SDK bundled with the Lambda runtime: no download at deploy time.
            install_latest_aws_sdk=False,
            timeout=Duration.minutes(2),
        )
        # Bedrock checks that it can write to every destination when the configuration is applied: the bucket
        # policy must be in place first. (The key, bucket, log group and role are referenced, so already ordered.)
        if self.bucket.policy is not None:
            configuration.node.add_dependency(self.bucket.policy)
        # With replication, the first log must find the replication role able to copy it.
        if self.replication_role is not None:
            configuration.node.add_dependency(self.replication_policy)
        self._acknowledge_provider(stack, provider_policy)
        return configuration

    def _acknowledge_provider(self, stack: Stack, policy: iam.ManagedPolicy) -> None:
        acknowledge(
            policy,
            "AwsSolutions-IAM5[Resource::*]",
            "bedrock:PutModelInvocationLoggingConfiguration and DeleteModelInvocationLoggingConfiguration have no "
            "resource types in the Service Authorization Reference; AWS documents them with Resource '*'.",
        )
        provider_log_group = self.node.find_child("ConfigurationProviderLogGroup")
        log_group_id = stack.get_logical_id(provider_log_group.node.default_child)  # type: ignore[arg-type]
        acknowledge(
            policy,
            f"AwsSolutions-IAM5[Resource::<{log_group_id}.Arn>:log-stream:*]",
            "Log streams of the provider function's own log group only: Lambda names each stream at run time.",
        )
        # The singleton provider function AwsCustomResource adds to the stack (its id is fixed by aws-cdk-lib).
        function = stack.node.find_child(PROVIDER_FUNCTION_ID)
        acknowledge_all_packs(
            function,
            "LambdaInsideVPC",
            "The function runs only during deployment and calls only the Amazon Bedrock control-plane API over TLS "
            "with SigV4 and IAM-scoped credentials; it holds no data and accepts no inbound connections.",
        )
        for pack in ("HIPAA.Security", "NIST.800.53.R5"):
            acknowledge(
                function,
                f"{pack}-LambdaDLQ",
                "CloudFormation invokes this custom-resource provider synchronously and fails the deployment when "
                "it fails; there is no asynchronous event that a dead-letter queue could keep.",
            )
            acknowledge(
                function,
                f"{pack}-LambdaConcurrency",
                "The function runs once per deployment of this stack; reserving concurrency for it would take "
                "capacity from the account's other functions without limiting anything.",
            )

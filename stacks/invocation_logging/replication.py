"""S3 replication of both log prefixes to a bucket the user owns (another Region or account).

Re-encrypted with the replica's KMS key, through `LogReplicationRole`; deletions are never replicated. The parts
are created in the logging construct's scope: the role before the bucket (the bucket's replication configuration
names it), the policy after (it names the bucket).
"""

from __future__ import annotations

from aws_cdk import Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from core.config import LogReplica
from core.invocation_logging.configuration import (
    LOG_PREFIXES,
    OWNER_OVERRIDE_ACTION,
    REPLICA_KEY_ACTIONS,
    REPLICATE_ACTIONS,
    replica_object_arns,
)
from stacks.shared.nag import acknowledge

S3 = "s3.amazonaws.com"


class LogReplication:
    """The replication role, the bucket's replication rules, and exactly the permissions replication needs."""

    def __init__(
        self, scope: Construct, *, region: str, replica: LogReplica, object_lock: bool, role_path: str | None = None
    ) -> None:
        self.scope = scope
        self.region = region
        self.replica = replica
        self.object_lock = object_lock
        # S3 assumes the role only for this account's buckets. (Naming the source bucket in the trust policy
        # would make the bucket and the role depend on each other.)
        self.role = iam.Role(
            scope,
            "LogReplicationRole",
            description=f"Assumed by Amazon S3 to replicate the invocation logs of {region} to the replica bucket",
            assumed_by=iam.ServicePrincipal(S3).with_conditions(
                {"StringEquals": {"aws:SourceAccount": Stack.of(scope).account}}
            ),
            path=role_path,
        )
        self.policy: iam.ManagedPolicy | None = None

    def rules(self) -> list[s3.ReplicationRule]:
        """One rule per log prefix (a rule's filter holds one prefix)."""
        # With `account`, aws-cdk-lib writes Destination.Account and may set the owner override (cross-account).
        destination = s3.Bucket.from_bucket_attributes(
            self.scope,
            "LogReplicaBucket",
            bucket_arn=self.replica.bucket_arn,
            account=self.replica.account,
            region=self.replica.region,
        )
        replica_key = kms.Key.from_key_arn(self.scope, "LogReplicaKey", self.replica.kms_key_arn)
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
                access_control_transition=True if self.replica.account else None,
            )
            for priority, prefix in enumerate(LOG_PREFIXES, start=1)
        ]

    def grant(self, bucket: s3.Bucket, key: kms.Key) -> iam.ManagedPolicy:
        """Exactly what S3 replication of the two log prefixes needs, in one customer-managed policy."""
        replica = self.replica.bucket_arn
        source_objects = [bucket.arn_for_objects(f"{prefix}/*") for prefix in LOG_PREFIXES]
        replica_objects = replica_object_arns(replica)
        read_actions = ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"]
        if self.object_lock:
            # S3 replicates each version's retention with it; the replica bucket must have Object Lock enabled.
            read_actions += ["s3:GetObjectRetention", "s3:GetObjectLegalHold"]
        replicate_actions = list(REPLICATE_ACTIONS)
        if self.replica.account:
            replicate_actions.append(OWNER_OVERRIDE_ACTION)
        # The policy is attached from its side (`roles=`): the role is referenced by the source key's policy and by
        # the bucket's replication configuration, which this policy references in turn.
        self.policy = iam.ManagedPolicy(
            self.scope,
            "LogReplicationPolicy",
            description=f"Amazon S3: replicate the invocation logs of {self.region} to {replica}, and nothing else",
            roles=[self.role],
            statements=[
                iam.PolicyStatement(
                    sid="ReadReplicationConfigurationOfTheLogBucket",
                    actions=["s3:GetReplicationConfiguration", "s3:ListBucket"],
                    resources=[bucket.bucket_arn],
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
                    resources=[key.key_arn],
                    conditions={
                        "StringEquals": {"kms:ViaService": f"s3.{self.region}.amazonaws.com"},
                        # The bucket ARN is the context under an S3 Bucket Key; object ARNs otherwise.
                        "StringLike": {"kms:EncryptionContext:aws:s3:arn": [bucket.bucket_arn, *source_objects]},
                    },
                ),
                iam.PolicyStatement(
                    sid="EncryptReplicasThroughS3",
                    actions=list(REPLICA_KEY_ACTIONS),
                    resources=[self.replica.kms_key_arn],
                    conditions={
                        "StringEquals": {"kms:ViaService": f"s3.{self.replica.region}.amazonaws.com"},
                        "StringLike": {"kms:EncryptionContext:aws:s3:arn": [replica, *replica_objects]},
                    },
                ),
            ],
        )
        key.add_to_resource_policy(
            iam.PolicyStatement(
                sid="AllowLogReplicationToDecryptThroughS3",
                principals=[iam.ArnPrincipal(self.role.role_arn)],
                actions=["kms:Decrypt"],
                resources=["*"],
                conditions={"StringEquals": {"kms:ViaService": f"s3.{self.region}.amazonaws.com"}},
            )
        )
        self._acknowledge(bucket)
        return self.policy

    def _acknowledge(self, bucket: s3.Bucket) -> None:
        assert self.policy is not None
        bucket_id = Stack.of(bucket).get_logical_id(bucket.node.default_child)  # type: ignore[arg-type]
        for prefix in LOG_PREFIXES:
            acknowledge(
                self.policy,
                f"AwsSolutions-IAM5[Resource::<{bucket_id}.Arn>/{prefix}/*]",
                f"Log objects under {prefix}/ only: S3 replication reads each new object version of the prefix it "
                "replicates, whose keys Amazon Bedrock chooses when it delivers.",
            )
            acknowledge(
                self.policy,
                f"AwsSolutions-IAM5[Resource::{self.replica.bucket_arn}/{prefix}/*]",
                f"Replicas under {prefix}/ of the replica bucket only: a replica keeps its source object's key, "
                "which Amazon Bedrock chooses when it delivers.",
            )

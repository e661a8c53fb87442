"""Construct: Amazon Bedrock model invocation logging to S3 and CloudWatch Logs for one Region.

Bedrock records every call made through bedrock-runtime in this account and Region and delivers it to the
storage (`storage.py`): the bucket under `invocation-logs/` and the log group, whose payloads over 100 KB and
binary data go to the bucket under `large-payloads/`. `configuration.py` applies the Region's logging
configuration; `replication.py` optionally copies both prefixes to a bucket the user owns. `alarms.py` tells
`alarm_emails`/`alarm_topic_arn` when a managed setting is changed (by anyone, deployments marked as such) or logs
fail to be delivered; `continuous_audit.py` runs the audit's checks on a schedule (a separable part: it is the one
part with a file asset); `guard_rules.py` hears every step that would blind these guards or destroy the logs.
`DataRetentionSettings` (`stacks/data_retention/`) sets the Region's data retention mode and storage through the
same provider as the configuration.
"""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import Aws, Fn, Stack
from constructs import Construct

from core.config import AlarmsConfig, DataRetentionConfig, LoggingConfig
from core.invocation_logging.guarded_resources import GuardedResources
from stacks.data_retention.settings import DataRetentionSettings
from stacks.invocation_logging.alarms import LoggingAlarms
from stacks.invocation_logging.configuration import LoggingConfiguration
from stacks.invocation_logging.continuous_audit import ContinuousAudit
from stacks.invocation_logging.guard_rules import GuardRules
from stacks.invocation_logging.replication import LogReplication
from stacks.invocation_logging.storage import InvocationLogStorage
from stacks.invocation_logging.tamper_detection import alarm_name_prefix, rule_name, rule_name_prefix
from stacks.shared.lifetimes import removal_policy


@dataclass(frozen=True)
class InvocationLoggingProps:
    """What `ClaudeInvocationLogging` (and the logging stack around it) is built from."""

    # The `log_*` keys: data delivered, retention, Object Lock, removal, replica, audit schedule, break-glass role.
    invocation_logging: LoggingConfig
    # Who hears the tamper and delivery-failure alarms (`alarm_*`).
    alarms: AlarmsConfig
    # The account's data retention mode and storage (`data_retention_*`), applied by the same provider.
    data_retention: DataRetentionConfig
    # The Region's name, or `Aws.REGION` in a template that serves every Region (the organization's member baseline).
    region: str
    # An IAM path for the replication role (the member baseline's, so the central archive's policies can name every
    # member's role by one pattern); None: no path.
    replication_role_path: str | None = None


class ClaudeInvocationLogging(Construct):
    """Describes where Bedrock writes the invocation logs of one Region, who may write them, and for how long."""

    def __init__(self, scope: Construct, construct_id: str, *, props: InvocationLoggingProps) -> None:
        super().__init__(scope, construct_id)
        stack = Stack.of(self)
        invocation_logging, region = props.invocation_logging, props.region
        removal = removal_policy(invocation_logging.removal_policy)
        # Log group names are the one exception to "CloudFormation generates names": the key policy must name
        # the log group's ARN (kms:EncryptionContext:aws:logs:arn) before the group exists, and a generated name
        # would make the key and the group depend on each other. The name ends with the stack's own UUID, so it
        # is exact in the key policy yet never collides with a group retained from an earlier, deleted stack.
        stack_uuid = Fn.select(2, Fn.split("/", Aws.STACK_ID))
        self.log_group_name = f"/aws/bedrock/model-invocations/{stack.stack_name}/{stack_uuid}"
        provider_log_group_name = f"/aws/lambda/{stack.stack_name}/logging-configuration/{stack_uuid}"
        audit_log_group_name = f"/aws/lambda/{stack.stack_name}/log-audit/{stack_uuid}"

        self.replication = (
            LogReplication(
                self,
                region=region,
                replica=invocation_logging.replica,
                object_lock=invocation_logging.object_lock != "off",
                role_path=props.replication_role_path,
            )
            if invocation_logging.replica
            else None
        )
        self.storage = InvocationLogStorage(
            self,
            region=region,
            retention_days=invocation_logging.retention_days,
            object_lock=invocation_logging.object_lock,
            object_lock_days=invocation_logging.object_lock_days,
            removal=removal,
            log_group_name=self.log_group_name,
            encrypted_log_group_names=(
                self.log_group_name,
                provider_log_group_name,
                *([audit_log_group_name] if invocation_logging.audit_schedule_hours else []),
            ),
            replication=self.replication,
            break_glass_principal=invocation_logging.break_glass_principal,
            keep_policy=invocation_logging.keep_configuration_on_delete,
        )
        wait_for: list[Construct] = [self.storage.bucket.policy] if self.storage.bucket.policy else []
        if self.replication is not None:
            # With replication, the first log must find the replication role able to copy it.
            wait_for.append(self.replication.grant(self.storage.bucket, self.storage.key))
        self.configuration = LoggingConfiguration(
            self,
            region=region,
            storage=self.storage,
            data=invocation_logging.data,
            keep_on_delete=invocation_logging.keep_configuration_on_delete,
            retention_days=invocation_logging.retention_days,
            removal=removal,
            provider_log_group_name=provider_log_group_name,
            wait_for=wait_for,
        )
        retention = props.data_retention
        self.data_retention = (
            DataRetentionSettings(
                self,
                data_retention=retention,
                region=region,
                provider=self.configuration.provider,
                provider_policy=self.configuration.provider_policy,
                access_log_bucket=self.storage.access_log_bucket,
            )
            if retention.mode or retention.storage
            else None
        )
        # What tells someone when logging changes or fails (tamper rule, delivery alarms), and the continuous audit.
        self.alarms = LoggingAlarms(self, alarms=props.alarms, removal=removal)
        self.audit = (
            ContinuousAudit(
                self,
                invocation_logging=invocation_logging,
                data_retention=props.data_retention,
                configuration=self.configuration,
                storage=self.storage,
                log_group_name=audit_log_group_name,
                removal=removal,
                alarm_topic=self.alarms.alarm_topic,
            )
            if invocation_logging.audit_schedule_hours
            else None
        )
        # What hears every step that would blind these guards or destroy what they keep.
        self.guard_rules = GuardRules(
            self,
            detection=self.alarms.detection,
            resources=self._guarded(audit_log_group_name, provider_log_group_name),
        )

    def _guarded(self, audit_log_group_name: str, provider_log_group_name: str) -> GuardedResources:
        """The resources of this construct the guard rules name, as their calls name them."""
        storage, configuration, detection = self.storage, self.configuration, self.alarms.detection
        audit = self.audit
        keys = (storage.key, self.alarms.key)
        functions = [configuration.provider, *([audit.function] if audit else [])]
        return GuardedResources(
            buckets=(storage.bucket.bucket_name, storage.access_log_bucket.bucket_name),
            log_groups=(self.log_group_name, provider_log_group_name, *([audit_log_group_name] if audit else [])),
            keys=tuple(value for key in keys for value in (key.key_id, key.key_arn)),
            roles=(
                configuration.provider_role.role_name,
                configuration.delivery_role.role_name,
                *([audit.role.role_name] if audit else []),
                *([self.replication.role.role_name] if self.replication else []),
            ),
            functions=tuple(f.function_name for f in functions),
            topics=(self.alarms.alarm_topic.topic.topic_arn,),
            rules=(detection.rule.ref, *([audit.schedule.rule_name] if audit else [])),
            rule_prefix=rule_name_prefix(),
            detectors_rule=rule_name("detectors"),
            alarm_prefix=alarm_name_prefix(),
            policies=(
                configuration.provider_policy.managed_policy_arn,
                configuration.delivery_policy.managed_policy_arn,
                *([audit.policy.managed_policy_arn] if audit else []),
            ),
        )

"""Part: the account's Amazon Bedrock data retention in one Region, applied by the logging stack's provider.

CloudFormation has no resource type for the mode or the storage record (research: no `AWS::Bedrock` type for data
retention), so each is a custom resource served by the one hardened provider of the logging stack
(`stacks/invocation_logging/configuration.py`, `lambda/logging_configuration/index.py`): one set of guard code for
every account-level Bedrock setting the project manages, one function whose code and role a reviewer (and the
tamper rule, which exempts its sessions) has to trust. This part creates its resources in the logging construct's
scope, adds what it applies to that provider's environment and the matching permissions to its policy.

- `DataRetentionMode` (`Custom::BedrockDataRetention`): `data_retention_mode`, put with PutAccountDataRetention.
  The provider's policy allows that action only for this mode and stricter ones (`bedrock:DataRetentionMode`), so
  even a steered provider cannot relax it.
- `DataRetentionStorage` (`Custom::BedrockDataRetentionStorage`): `data_retention_storage` for Anthropic's models,
  put with PutAccountDataRetentionStorage (its IAM action: `data_retention_storage_actions`); with
  `customer_managed`, the bucket and key of `storage.py`, which the provider must be able to use as Bedrock
  validates the caller too.

Both are kept when deleted (`Retain`: CloudFormation never asks), and the provider never deletes or relaxes them on
its own: leaving the management (`unmanaged`) leaves the account's setting as it was.
"""

from __future__ import annotations

from aws_cdk import CustomResource, RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_s3 as s3
from constructs import Construct

from core.config import DataRetentionConfig
from core.data_retention.modes import at_most
from core.data_retention.requests import DATA_RETENTION_MODE_KEY, PUT_DATA_RETENTION_ACTION, storage_request
from core.data_retention.storage import CALLER_OBJECT_ACTIONS, KEY_ACTIONS
from stacks.data_retention.storage import RetentionStorage
from stacks.shared.nag import acknowledge, finding_resource

MODE_TYPE = "Custom::BedrockDataRetention"
STORAGE_TYPE = "Custom::BedrockDataRetentionStorage"


class DataRetentionSettings:
    """The Region's data retention mode and retention storage, each a custom resource of the logging provider."""

    def __init__(
        self,
        scope: Construct,
        *,
        data_retention: DataRetentionConfig,
        region: str,
        provider: lambda_.Function,
        provider_policy: iam.ManagedPolicy,
        access_log_bucket: s3.IBucket,
    ) -> None:
        self._scope, self._provider, self._policy = scope, provider, provider_policy
        self.mode = self._mode(data_retention) if data_retention.mode else None
        self.storage: RetentionStorage | None = None
        if data_retention.storage == "customer_managed":
            self.storage = RetentionStorage(scope, region=region, access_log_bucket=access_log_bucket)
        self.storage_record = self._storage(data_retention) if data_retention.storage else None

    def _serve(self, setting: CustomResource, *, resource_variable: str, value_variable: str, value: str) -> None:
        """Tell the provider the resource's logical ID and what to apply to it."""
        default_child = setting.node.default_child
        assert default_child is not None
        self._provider.add_environment(resource_variable, Stack.of(self._scope).get_logical_id(default_child))  # type: ignore[arg-type]
        self._provider.add_environment(value_variable, value)

    def _mode(self, retention: DataRetentionConfig) -> CustomResource:
        assert retention.mode is not None
        setting = CustomResource(
            self._scope,
            "DataRetentionMode",
            service_token=self._provider.function_arn,
            resource_type=MODE_TYPE,
            properties={"Mode": retention.mode},
            removal_policy=RemovalPolicy.RETAIN,
        )
        self._serve(
            setting,
            resource_variable="DATA_RETENTION_RESOURCE_ID",
            value_variable="DATA_RETENTION_MODE",
            value=retention.mode,
        )
        self._policy.add_statements(
            iam.PolicyStatement(
                sid="SetDataRetentionModeNoLooserThanConfigured",
                actions=[PUT_DATA_RETENTION_ACTION],
                resources=["*"],
                conditions={"StringEquals": {DATA_RETENTION_MODE_KEY: list(at_most(retention.mode))}},
            )
        )
        return setting

    def _storage(self, retention: DataRetentionConfig) -> CustomResource:
        assert retention.storage is not None and retention.storage_actions is not None
        stack = Stack.of(self._scope)
        storage = self.storage
        request = (
            storage_request(
                retention.storage,
                bucket_arn=storage.bucket.bucket_arn,
                key_arn=storage.key.key_arn,
                bucket_owner=stack.account,
            )
            if storage is not None
            else storage_request(retention.storage)
        )
        request_json = stack.to_json_string(request)
        setting = CustomResource(
            self._scope,
            "DataRetentionStorage",
            service_token=self._provider.function_arn,
            resource_type=STORAGE_TYPE,
            properties={"Storage": request_json},
            removal_policy=RemovalPolicy.RETAIN,
        )
        self._serve(
            setting,
            resource_variable="RETENTION_STORAGE_RESOURCE_ID",
            value_variable="RETENTION_STORAGE",
            value=request_json,
        )
        statements = [
            iam.PolicyStatement(sid="SetRetentionStorage", actions=[retention.storage_actions.put], resources=["*"])
        ]
        if storage is not None:
            # Bedrock validates that the caller can use the bucket and key before it saves the record.
            objects = storage.bucket.arn_for_objects("*")
            statements += [
                iam.PolicyStatement(sid="UseRetentionBucket", actions=list(CALLER_OBJECT_ACTIONS), resources=[objects]),
                iam.PolicyStatement(sid="UseRetentionKey", actions=list(KEY_ACTIONS), resources=[storage.key.key_arn]),
            ]
            acknowledge(
                self._policy,
                f"AwsSolutions-IAM5[Resource::{finding_resource(self._scope, objects)}]",
                "The retention bucket's objects, which Amazon Bedrock names itself: registering customer-managed "
                "retention storage validates that the caller may put and get objects there.",
            )
            setting.node.add_dependency(storage.bucket, storage.key)
            if storage.bucket.policy is not None:
                setting.node.add_dependency(storage.bucket.policy)
        self._policy.add_statements(*statements)
        return setting

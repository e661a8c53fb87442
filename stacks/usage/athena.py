"""Athena over the invocation logs in S3: the Glue database and table, a workgroup whose results are encrypted in a
bucket that forgets them, the named queries, and a policy that lets its holder run them.

Created in the usage construct's scope. The table, its projection and the SQL are `core.usage.athena`'s and
`core.usage.queries`'.
"""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import RemovalPolicy, Stack
from aws_cdk import aws_athena as athena
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from core.invocation_access.permissions import sid
from core.invocation_logging.configuration import INVOCATION_LOG_PREFIX, log_object_prefix
from core.usage.athena import (
    BYTES_SCANNED_CUTOFF,
    COLUMNS,
    DATABASE_NAME,
    INPUT_FORMAT,
    OUTPUT_FORMAT,
    PARTITION,
    RESULTS_EXPIRE_DAYS,
    SERDE,
    SERDE_PARAMETERS,
    TABLE_NAME,
    WORKGROUP_NAME,
    records_location,
    table_parameters,
)
from core.usage.queries import UsageQuery
from stacks.shared.buckets import private_bucket_props
from stacks.shared.glue import ExternalTable, database, external_table
from stacks.shared.lifetimes import expiry_rules
from stacks.shared.nag import acknowledge, acknowledge_in_regulatory_packs, finding_resource

RESULTS_PREFIX = "results/"


class AthenaOverLogs:
    def __init__(
        self,
        scope: Construct,
        *,
        queries: Sequence[UsageQuery],
        region: str,
        log_bucket: s3.IBucket,
        log_key_arn: str,
        retention_days: int,
        removal: RemovalPolicy,
    ) -> None:
        stack = Stack.of(scope)
        self.results_key = kms.Key(
            scope,
            "AthenaResultsKey",
            description=f"Encrypts Athena query results over the Claude invocation logs of {region}",
            enable_key_rotation=True,
            removal_policy=removal,
        )
        self.results_bucket = s3.Bucket(
            scope,
            "AthenaResultsBucket",
            **private_bucket_props(self.results_key),
            lifecycle_rules=expiry_rules(RESULTS_EXPIRE_DAYS, noncurrent_days=1, rule_id="ForgetQueryResults"),
            removal_policy=removal,
        )
        self._acknowledge_results_bucket()

        self.database = database(
            scope,
            "GlueDatabase",
            name=DATABASE_NAME,
            description="Claude on Amazon Bedrock: invocation logs of this Region",
        )
        self.table = external_table(
            scope,
            "InvocationLogTable",
            in_database=self.database,
            database_name=DATABASE_NAME,
            table=ExternalTable(
                name=TABLE_NAME,
                description="Bedrock model invocation log records (S3), partitioned by UTC hour (dt = yyyy/MM/dd/HH)",
                columns=[(c.column, c.hive_type()) for c in COLUMNS],
                partition=PARTITION,
                location=records_location(log_bucket.bucket_name, stack.account, region),
                input_format=INPUT_FORMAT,
                output_format=OUTPUT_FORMAT,
                serde=SERDE,
                parameters=table_parameters(log_bucket.bucket_name, stack.account, region, retention_days),
                serde_parameters=SERDE_PARAMETERS,
            ),
        )
        self.workgroup = athena.CfnWorkGroup(
            scope,
            "AthenaWorkGroup",
            name=WORKGROUP_NAME,
            description="Claude on Amazon Bedrock: queries over the invocation logs, results encrypted and expired",
            state="ENABLED",
            # Deleting the stack deletes the workgroup's saved queries and history with it.
            recursive_delete_option=True,
            work_group_configuration=athena.CfnWorkGroup.WorkGroupConfigurationProperty(
                enforce_work_group_configuration=True,
                publish_cloud_watch_metrics_enabled=True,
                bytes_scanned_cutoff_per_query=BYTES_SCANNED_CUTOFF,
                engine_version=athena.CfnWorkGroup.EngineVersionProperty(
                    selected_engine_version="Athena engine version 3"
                ),
                result_configuration=athena.CfnWorkGroup.ResultConfigurationProperty(
                    output_location=self.results_bucket.s3_url_for_object(RESULTS_PREFIX),
                    encryption_configuration=athena.CfnWorkGroup.EncryptionConfigurationProperty(
                        encryption_option="SSE_KMS", kms_key=self.results_key.key_arn
                    ),
                    expected_bucket_owner=stack.account,
                ),
            ),
        )
        self.named_queries = {}
        for query in queries:
            if query.sql is None:
                continue
            named = athena.CfnNamedQuery(
                scope,
                f"{sid(query.name)}NamedQuery",
                name=query.title,
                description=query.description,
                database=DATABASE_NAME,
                work_group=self.workgroup.ref,
                query_string=query.sql_for(TABLE_NAME),
            )
            named.add_resource_dependency(self.table)
            self.named_queries[query.name] = named
        self.reader_policy = self._reader_policy(scope, log_bucket, log_key_arn)

    def _acknowledge_results_bucket(self) -> None:
        reason = (
            "Athena query results over the invocation logs, kept 7 days then expired; every query that writes them "
            "is recorded by Athena's query history and by CloudTrail (StartQueryExecution), so S3 server access "
            "logs would repeat that record."
        )
        acknowledge(self.results_bucket, "AwsSolutions-S1", reason)
        acknowledge_in_regulatory_packs(self.results_bucket, "S3BucketLoggingEnabled", reason)
        acknowledge_in_regulatory_packs(
            self.results_bucket,
            "S3BucketReplicationEnabled",
            "Query results are derived, short-lived copies (7 days) of logs that stay in their Region; the logs "
            "themselves carry the replication decision (log_replica_bucket_arn).",
        )

    def _reader_policy(self, scope: Construct, log_bucket: s3.IBucket, log_key_arn: str) -> iam.ManagedPolicy:
        stack = Stack.of(scope)
        catalog = f"arn:{stack.partition}:glue:{stack.region}:{stack.account}"
        records = log_object_prefix(INVOCATION_LOG_PREFIX, stack.account)
        policy = iam.ManagedPolicy(
            scope,
            "UsageQueryPolicy",
            description="Run the saved Athena queries over the Claude invocation logs of this Region",
            statements=[
                iam.PolicyStatement(
                    sid="UseTheWorkgroup",
                    actions=[
                        "athena:StartQueryExecution",
                        "athena:StopQueryExecution",
                        "athena:GetQueryExecution",
                        "athena:GetQueryResults",
                        "athena:GetWorkGroup",
                        "athena:ListNamedQueries",
                        "athena:GetNamedQuery",
                        "athena:BatchGetNamedQuery",
                    ],
                    resources=[
                        f"arn:{stack.partition}:athena:{stack.region}:{stack.account}:workgroup/{WORKGROUP_NAME}"
                    ],
                ),
                iam.PolicyStatement(
                    sid="ReadTheTable",
                    actions=["glue:GetDatabase", "glue:GetTable", "glue:GetPartitions"],
                    resources=[
                        f"{catalog}:catalog",
                        f"{catalog}:database/{DATABASE_NAME}",
                        f"{catalog}:table/{DATABASE_NAME}/{TABLE_NAME}",
                    ],
                ),
                # The records of this account and Region, by key; the log bucket lives in the logging stack, whose
                # bucket name this stack only learns at deployment, so the bucket is bounded by its account here and
                # by the log key below (only this Region's log bucket is encrypted with it).
                iam.PolicyStatement(
                    sid="ReadTheRecords",
                    actions=["s3:GetObject"],
                    resources=[f"arn:{stack.partition}:s3:::*/{records}{stack.region}/*"],
                    conditions={"StringEquals": {"s3:ResourceAccount": stack.account}},
                ),
                iam.PolicyStatement(
                    sid="ListTheRecords",
                    actions=["s3:ListBucket", "s3:GetBucketLocation"],
                    resources=[log_bucket.bucket_arn],
                ),
                iam.PolicyStatement(sid="DecryptTheRecords", actions=["kms:Decrypt"], resources=[log_key_arn]),
                iam.PolicyStatement(
                    sid="WriteAndReadResults",
                    actions=["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"],
                    resources=[self.results_bucket.arn_for_objects(f"{RESULTS_PREFIX}*")],
                ),
                iam.PolicyStatement(
                    sid="ListResults",
                    actions=["s3:ListBucket", "s3:GetBucketLocation"],
                    resources=[self.results_bucket.bucket_arn],
                ),
                iam.PolicyStatement(
                    sid="EncryptResults",
                    actions=["kms:Decrypt", "kms:GenerateDataKey"],
                    resources=[self.results_key.key_arn],
                ),
            ],
        )
        results_objects = finding_resource(policy, self.results_bucket.arn_for_objects(f"{RESULTS_PREFIX}*"))
        acknowledge(
            policy,
            f"AwsSolutions-IAM5[Resource::{results_objects}]",
            "Athena names each result object by query execution ID at run time; the grant is limited to the "
            "results prefix of this workgroup's own bucket.",
        )
        record_objects = finding_resource(policy, f"arn:{stack.partition}:s3:::*/{records}{stack.region}/*")
        acknowledge(
            policy,
            f"AwsSolutions-IAM5[Resource::{record_objects}]",
            "Bedrock names each log object by hour and batch at delivery time. The grant covers only keys of the "
            "invocation-log layout for this account and Region, in buckets this account owns (s3:ResourceAccount); "
            "kms:Decrypt is granted on this Region's log key only, so no other bucket's objects can be read.",
        )
        return policy

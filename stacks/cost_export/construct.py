"""Construct: a CUR 2.0 data export with IAM principal data, its bucket, and a Glue table with Athena queries over
it (`core.usage.cost_export`).

The bucket policy is AWS's for data exports ("Setting up an Amazon S3 bucket for data exports"): the Data Exports
service principal may write objects and read the bucket policy, for this account's exports only
(`aws:SourceAccount`, `aws:SourceArn`). The bucket is encrypted with S3-managed keys: what Data Exports needs of a
customer-managed key is not stated on a page we read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from aws_cdk import RemovalPolicy, Stack
from aws_cdk import aws_athena as athena
from aws_cdk import aws_bcmdataexports as bcm
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from constructs import Construct

from core.invocation_access.permissions import sid
from core.usage.cost_export import (
    COLUMNS,
    DATA_EXPORTS_SERVICE,
    DATABASE_NAME,
    EXPORT_NAME,
    EXPORT_PREFIX,
    PARTITION,
    TABLE_CONFIGURATION,
    TABLE_NAME,
    billing_queries,
    data_location,
    query_statement,
    table_parameters,
)
from stacks.shared.buckets import private_bucket_props
from stacks.shared.glue import ExternalTable, database, external_table
from stacks.shared.nag import acknowledge, acknowledge_in_regulatory_packs


@dataclass(frozen=True)
class CostExportProps:
    """The principal tag keys the queries break cost down by: `project` and the teams' tag keys."""

    tag_keys: Sequence[str]


class ClaudeCostExport(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, props: CostExportProps) -> None:
        super().__init__(scope, construct_id)
        stack = Stack.of(self)
        self.bucket = s3.Bucket(
            self, "CostExportBucket", **private_bucket_props(None), removal_policy=RemovalPolicy.RETAIN
        )
        self._acknowledge_bucket()
        exports = f"arn:{stack.partition}:bcm-data-exports:{stack.region}:{stack.account}:export/*"
        self.bucket.add_to_resource_policy(
            iam.PolicyStatement(
                sid="DataExportsDelivers",
                principals=[iam.ServicePrincipal(DATA_EXPORTS_SERVICE)],
                actions=["s3:PutObject", "s3:GetBucketPolicy"],
                resources=[self.bucket.bucket_arn, self.bucket.arn_for_objects("*")],
                conditions={
                    "StringEquals": {"aws:SourceAccount": stack.account},
                    "ArnLike": {"aws:SourceArn": exports},
                },
            )
        )
        self.export = bcm.CfnExport(
            self,
            "CostExport",
            export=bcm.CfnExport.ExportProperty(
                name=EXPORT_NAME,
                description="CUR 2.0 with IAM principal data: who spent what on Amazon Bedrock",
                data_query=bcm.CfnExport.DataQueryProperty(
                    query_statement=query_statement(),
                    table_configurations={"COST_AND_USAGE_REPORT": dict(TABLE_CONFIGURATION)},
                ),
                destination_configurations=bcm.CfnExport.DestinationConfigurationsProperty(
                    s3_destination=bcm.CfnExport.S3DestinationProperty(
                        s3_bucket=self.bucket.bucket_name,
                        s3_prefix=EXPORT_PREFIX,
                        s3_region=stack.region,
                        s3_output_configurations=bcm.CfnExport.S3OutputConfigurationsProperty(
                            compression="PARQUET", format="PARQUET", output_type="CUSTOM", overwrite="OVERWRITE_REPORT"
                        ),
                    )
                ),
                refresh_cadence=bcm.CfnExport.RefreshCadenceProperty(frequency="SYNCHRONOUS"),
            ),
        )
        # Data Exports checks the bucket policy when the export is created.
        self.export.node.add_dependency(self.bucket)
        self._table(props)

    def _table(self, props: CostExportProps) -> None:
        billing = database(
            self,
            "BillingDatabase",
            name=DATABASE_NAME,
            description="Claude on Amazon Bedrock: the CUR 2.0 export with IAM principal data",
        )
        self.table = external_table(
            self,
            "CostExportTable",
            in_database=billing,
            database_name=DATABASE_NAME,
            table=ExternalTable(
                name=TABLE_NAME,
                description="CUR 2.0 line items (Parquet), partitioned by billing period (yyyy-MM)",
                columns=COLUMNS,
                partition=PARTITION,
                location=data_location(self.bucket.bucket_name),
                input_format="org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
                output_format="org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
                serde="org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
                parameters=table_parameters(self.bucket.bucket_name),
            ),
        )
        self.queries = {}
        for query in billing_queries(tuple(props.tag_keys)):
            named = athena.CfnNamedQuery(
                self,
                f"{sid(query.name)}NamedQuery",
                name=query.title,
                description=query.description,
                database=DATABASE_NAME,
                query_string=query.sql,
            )
            named.add_resource_dependency(self.table)
            self.queries[query.name] = named

    def _acknowledge_bucket(self) -> None:
        reason = (
            "Billing data delivered by AWS Data Exports, written only by that service (bucket policy) and read "
            "through Athena, whose query history and CloudTrail record every read."
        )
        acknowledge(self.bucket, "AwsSolutions-S1", reason)
        acknowledge_in_regulatory_packs(self.bucket, "S3BucketLoggingEnabled", reason)
        acknowledge_in_regulatory_packs(
            self.bucket,
            "S3BucketReplicationEnabled",
            "A derived copy of the bill, which AWS Billing keeps itself; the export can be recreated at any time.",
        )
        acknowledge_in_regulatory_packs(
            self.bucket,
            "S3DefaultEncryptionKMS",
            "Encrypted with S3-managed keys: what AWS Data Exports needs of a customer-managed KMS key is not stated "
            "on an AWS page this project could read, and a delivery it cannot encrypt would fail silently.",
        )

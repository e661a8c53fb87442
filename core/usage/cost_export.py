"""The CUR 2.0 data export with IAM principal data (`cost_export`), as plain data: the query it exports, the Glue
table over what it delivers, and the saved Athena queries.

- CUR 2.0 has the column `line_item_iam_principal` (AWS Data Exports user guide, "Migrating from CUR to Data Exports
  CUR 2.0": "Additional columns: ... line_item_iam_principal", https://docs.aws.amazon.com/cur/latest/userguide/
  dataexports-migrate.html). Bedrock attributes each inference call's cost to the IAM principal that signed it, and
  the principal's tags, once activated as cost allocation tags, "appear in the tags column of CUR 2.0 with the
  `iamPrincipal/` prefix" (AWS Machine Learning blog, "Introducing granular cost attribution for Amazon Bedrock").
- The export is asked for them with the table configuration `INCLUDE_IAM_PRINCIPAL_DATA` (seen in public templates;
  the botocore model leaves table properties free-form, so no AWS page we read lists the key). Without it, third
  parties report, the column is empty and attribution queries return nothing.
- Data Exports' ARNs, as AWS's bucket policy for exports names them, are `arn:aws:bcm-data-exports:us-east-1:...`
  ("Setting up an Amazon S3 bucket for data exports", https://docs.aws.amazon.com/cur/latest/userguide/
  dataexports-s3-bucket.html), and CloudFormation's registry offers AWS::BCMDataExports::Export in us-east-1 (not,
  for one, in eu-west-1): the export, its bucket and the table live there.
- Delivered files, as public pipelines read them: `<prefix>/<export name>/data/BILLING_PERIOD=<yyyy-MM>/*.parquet`.
"""

from __future__ import annotations

from dataclasses import dataclass

EXPORT_STACK_NAME = "ClaudeCostExport"
EXPORT_REGION = "us-east-1"
EXPORT_NAME = "claude-on-bedrock-cur2"
EXPORT_PREFIX = "cur2"
DATA_EXPORTS_SERVICE = "bcm-data-exports.amazonaws.com"
DATABASE_NAME = "claude_on_bedrock_billing"
TABLE_NAME = "cur2"
PARTITION = "billing_period"
# How far back the table's projection reaches: the export delivers from its creation on.
PARTITION_MONTHS = 24
SOURCE_TABLE = "COST_AND_USAGE_REPORT"
TABLE_CONFIGURATION = {
    "TIME_GRANULARITY": "DAILY",
    "INCLUDE_RESOURCES": "TRUE",
    "INCLUDE_IAM_PRINCIPAL_DATA": "TRUE",
    "INCLUDE_SPLIT_COST_ALLOCATION_DATA": "FALSE",
    "INCLUDE_MANUAL_DISCOUNT_COMPATIBILITY": "FALSE",
}
# The columns exported (CUR 2.0 names) and their Hive types in the Glue table (Parquet).
COLUMNS: tuple[tuple[str, str], ...] = (
    ("bill_billing_period_start_date", "timestamp"),
    ("line_item_usage_start_date", "timestamp"),
    ("line_item_usage_account_id", "string"),
    ("line_item_product_code", "string"),
    ("line_item_usage_type", "string"),
    ("line_item_operation", "string"),
    ("line_item_resource_id", "string"),
    ("line_item_usage_amount", "double"),
    ("line_item_unblended_cost", "double"),
    ("line_item_iam_principal", "string"),
    ("resource_tags", "map<string,string>"),
)
PRINCIPAL_TAG_PREFIX = "iamPrincipal/"


def query_statement() -> str:
    """The export's SQL over CUR 2.0 (Data Exports takes a column list, not `SELECT *`)."""
    return f"SELECT {', '.join(name for name, _ in COLUMNS)} FROM {SOURCE_TABLE}"


def data_location(bucket_name: str) -> str:
    return f"s3://{bucket_name}/{EXPORT_PREFIX}/{EXPORT_NAME}/data/"


def table_parameters(bucket_name: str) -> dict[str, str]:
    """Parquet, with the billing period projected (no crawler, no partition to add)."""
    return {
        "classification": "parquet",
        "projection.enabled": "true",
        f"projection.{PARTITION}.type": "date",
        f"projection.{PARTITION}.format": "yyyy-MM",
        f"projection.{PARTITION}.range": f"NOW-{PARTITION_MONTHS}MONTHS,NOW",
        f"projection.{PARTITION}.interval": "1",
        f"projection.{PARTITION}.interval.unit": "MONTHS",
        "storage.location.template": data_location(bucket_name) + "BILLING_PERIOD=${" + PARTITION + "}/",
    }


@dataclass(frozen=True)
class BillingQuery:
    name: str
    title: str
    description: str
    sql: str


def billing_queries(tag_keys: tuple[str, ...]) -> tuple[BillingQuery, ...]:
    """Cost by IAM principal, and by the principal tags `tag_keys` (the project's and the teams' keys)."""
    principal = (
        f"SELECT {PARTITION}, line_item_iam_principal AS principal, line_item_product_code AS product,\n"
        "  round(sum(line_item_unblended_cost), 6) AS cost, count(*) AS line_items\n"
        f"FROM {TABLE_NAME}\n"
        "WHERE line_item_iam_principal IS NOT NULL AND line_item_iam_principal <> ''\n"
        f"GROUP BY {PARTITION}, line_item_iam_principal, line_item_product_code\n"
        f"ORDER BY {PARTITION}, cost DESC, principal, product"
    )
    columns = ", ".join(f"element_at(resource_tags, '{PRINCIPAL_TAG_PREFIX}{key}') AS \"{key}\"" for key in tag_keys)
    positions = ", ".join(str(n) for n in range(1, len(tag_keys) + 2))
    by_tag = (
        f"SELECT {PARTITION}, {columns},\n"
        "  round(sum(line_item_unblended_cost), 6) AS cost\n"
        f"FROM {TABLE_NAME}\n"
        "WHERE line_item_iam_principal IS NOT NULL AND line_item_iam_principal <> ''\n"
        f"GROUP BY {positions}\n"
        f"ORDER BY {PARTITION}, cost DESC"
    )
    return (
        BillingQuery(
            "cost-by-principal",
            "Cost by IAM principal and month (CUR 2.0)",
            "Billed cost per billing period, IAM principal that signed the calls, and product",
            principal,
        ),
        BillingQuery(
            "cost-by-principal-tag",
            "Cost by principal tag and month (CUR 2.0)",
            f"Billed cost per billing period and principal tags ({', '.join(tag_keys)}), activated as cost "
            "allocation tags",
            by_tag,
        ),
    )

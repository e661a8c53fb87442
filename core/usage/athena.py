"""The Glue table over the invocation logs in S3, as plain data: columns, partition projection, SerDe, location.

Bedrock writes gzipped JSON files, one invocation record per line, under
`<prefix>/AWSLogs/<account>/BedrockModelInvocationLogs/<region>/<yyyy>/<MM>/<dd>/<HH>/` ("Monitor model invocation
using CloudWatch Logs and Amazon S3": the prefix up to `BedrockModelInvocationLogs/` is AWS's; the date and hour
folders are what delivered logs show). Bodies over 100 KB go to separate objects under `<HH>/data/`: they are not
records, and every query counts only rows whose `schemaType` is `ModelInvocationLog`.

The partition `dt` is projected (Athena partition projection, type `date`, format `yyyy/MM/dd/HH`, one hour apart,
as AWS's Firehose example with a `datehour` key): no crawler and no partition to add. Columns are lower case because
the OpenX JSON SerDe lower-cases JSON keys (`case.insensitive`, default TRUE); each column keeps the JSON key it
reads, so a test can read the same files with the same schema.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.invocation_logging.configuration import INVOCATION_LOG_PREFIX

DATABASE_NAME = "claude_on_bedrock"
WORKGROUP_NAME = "claude-on-bedrock-usage"
# Query results hold log data (callers, models): kept encrypted, and only this many days.
RESULTS_EXPIRE_DAYS = 7
# A query that would scan more is cancelled (Athena's BytesScannedCutoffPerQuery; at least 10 MB).
BYTES_SCANNED_CUTOFF = 10 * 1024**3
TABLE_NAME = "invocation_logs"
PARTITION = "dt"
PARTITION_FORMAT = "yyyy/MM/dd/HH"
SERDE = "org.openx.data.jsonserde.JsonSerDe"
INPUT_FORMAT = "org.apache.hadoop.mapred.TextInputFormat"
OUTPUT_FORMAT = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"
# A sidecar body or a marker that is not a JSON object per line yields a row of nulls instead of failing the query.
SERDE_PARAMETERS = {"ignore.malformed.json": "TRUE", "case.insensitive": "TRUE"}
RECORD_SCHEMA_TYPE = "ModelInvocationLog"
# The keys the invoker puts in `requestMetadata` (lambda/invoker/claude_invoker/bedrock.py; a test compares).
INVOKER_METADATA_KEYS = (
    "invoker",
    "model_alias",
    "function_arn",
    "lambda_request_id",
    "user_id",
    # Who called: "authenticated" through the function URL (the principal follows), else "unauthenticated".
    "attribution",
    "caller_arn",
    "caller_account",
    "caller_org_id",
    "team",
)
# Keys other callers put in `requestMetadata` that the usage queries read: `team`, the key AWS's own log example
# uses ("Log entry format": `"requestMetadata": {"team": "orchestrator", ...}`), names the team a call is billed to
# (the invoker sends it too when it serves a team).
CALLER_METADATA_KEYS = ("team",)


@dataclass(frozen=True)
class Field:
    """A JSON key of the record and its Hive type; a struct's type is its nested fields."""

    key: str
    type: str | tuple[Field, ...]

    @property
    def column(self) -> str:
        return self.key.lower()

    def hive_type(self) -> str:
        if isinstance(self.type, str):
            return self.type
        return "struct<" + ",".join(f"{f.column}:{f.hive_type()}" for f in self.type) + ">"


# Body JSON (`inputBodyJson`, `outputBodyJson`) is left out: its shape differs by operation (an object, or a list
# of stream events) and it holds prompts and completions, which usage queries do not need.
COLUMNS: tuple[Field, ...] = (
    Field("schemaType", "string"),
    Field("schemaVersion", "string"),
    Field("timestamp", "string"),
    Field("accountId", "string"),
    Field("region", "string"),
    Field("requestId", "string"),
    Field("operation", "string"),
    Field("modelId", "string"),
    Field("inferenceRegion", "string"),
    Field("errorCode", "string"),
    Field("identity", (Field("arn", "string"),)),
    Field(
        "requestMetadata",
        tuple(Field(key, "string") for key in dict.fromkeys((*INVOKER_METADATA_KEYS, *CALLER_METADATA_KEYS))),
    ),
    Field(
        "input",
        (
            Field("inputContentType", "string"),
            Field("inputTokenCount", "bigint"),
            Field("cacheReadInputTokenCount", "bigint"),
            Field("cacheWriteInputTokenCount", "bigint"),
            Field("inputBodyS3Path", "string"),
        ),
    ),
    Field(
        "output",
        (
            Field("outputContentType", "string"),
            Field("outputTokenCount", "bigint"),
            Field("outputBodyS3Path", "string"),
        ),
    ),
)


def records_location(bucket_name: str, account: str, region: str) -> str:
    """Where Bedrock writes the records of `account` and `region` in the log bucket (the table's root)."""
    return f"s3://{bucket_name}/{INVOCATION_LOG_PREFIX}/AWSLogs/{account}/BedrockModelInvocationLogs/{region}/"


def table_parameters(bucket_name: str, account: str, region: str, retention_days: int) -> dict[str, str]:
    """Table properties: JSON data and the projection of `dt` over the hours the logs are kept."""
    return {
        "classification": "json",
        "projection.enabled": "true",
        f"projection.{PARTITION}.type": "date",
        f"projection.{PARTITION}.format": PARTITION_FORMAT,
        f"projection.{PARTITION}.range": f"NOW-{retention_days}DAYS,NOW",
        f"projection.{PARTITION}.interval": "1",
        f"projection.{PARTITION}.interval.unit": "HOURS",
        "storage.location.template": records_location(bucket_name, account, region) + "${" + PARTITION + "}/",
    }

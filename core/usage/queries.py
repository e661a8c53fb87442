"""The saved usage queries, as plain data: CloudWatch Logs Insights over the invocation log group (and the invoker's
own log group), Athena SQL over the Glue table of the S3 logs (`core.usage.athena`). Stacks, docs and tests read
this text; tests run the SQL on DuckDB and check the Insights fields against a record of AWS's documented shape.

Record fields (Amazon Bedrock user guide, "Monitor model invocation using CloudWatch Logs and Amazon S3", "Log entry
format"): `schemaType`, `timestamp`, `requestId`, `operation`, `modelId` ("the model ID or inference profile ID
used for the invocation"), `identity.arn`, `requestMetadata` (caller-supplied), `input.inputTokenCount`,
`output.outputTokenCount`. Seen in delivered records but not in AWS's table: `input.cacheReadInputTokenCount` and
`input.cacheWriteInputTokenCount` (AWS states records carry cache-read and cache-write counts), `errorCode` (set on
failed calls), `inferenceRegion`. Latency is not a record field: only Converse responses carry it
(`output.outputBodyJson.metrics.latencyMs`, from the Converse API's `metrics`), so the slowest InvokeModel calls
come from the invoker's own log (`latency_ms`) and the dashboard's latency percentiles.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.usage.athena import RECORD_SCHEMA_TYPE, TABLE_NAME
from core.usage.costs import SQL_COLUMNS, SQL_TOKENS, PricedTarget, insights_cost, insights_prelude, sql_cost

INVOCATION_LOG = "invocation log"
INVOKER_LOG = "invoker log"
# What the invoker puts in requestMetadata.invoker (lambda/invoker/claude_invoker/bedrock.py; a test compares).
INVOKER_METADATA_VALUE = "claude-invoker"
# The message of the invoker's log line for a successful call (lambda/invoker/handler.py; a test compares).
INVOKER_SUCCESS_MESSAGE = "Claude invocation succeeded"
# Fields of the invoker's log line for a successful call that the usage views may read (a test runs the handler and
# compares): Anthropic's usage counts (prompt-cache writes and reads apart), and Bedrock's guardrail verdict.
INVOKER_TOKEN_FIELDS = ("input_tokens", "output_tokens", "cache_creation_input_tokens", "cache_read_input_tokens")
INVOKER_GUARDRAIL_FIELD = "guardrail_action"
# Who called, in the same log line: `attribution` ("authenticated" through the function URL, else
# "unauthenticated"), the authenticated principal (its ARN, account and organization), and the team it belongs to.
INVOKER_CALLER_FIELDS = ("attribution", "caller_arn", "caller_account", "caller_org_id", "team")
# Saved Logs Insights queries are named `<folder>/<title>` (the console shows the folder).
QUERY_FOLDER = "Claude on Bedrock"
# How far back the Athena queries look, in days, unless a query says otherwise (a partition filter on `dt`).
WINDOW_DAYS = 30


def since(days: int) -> str:
    """SQL for the `dt` partition value `days` days ago ('yyyy/MM/dd'), written so Athena (Trino) and DuckDB agree."""
    return f"replace(substr(cast(current_date - interval '{days}' day as varchar), 1, 10), '-', '/')"


def records(days: int = WINDOW_DAYS) -> str:
    """FROM and WHERE of every SQL query: records only (no sidecar body, no marker), in the window."""
    return f"FROM {{table}}\nWHERE schematype = '{RECORD_SCHEMA_TYPE}' AND dt >= {since(days)}"


@dataclass(frozen=True)
class UsageQuery:
    name: str
    title: str
    description: str
    # Logs Insights query language (CWLI) text, the log group it runs on, and the record fields it reads.
    insights: str | None
    log: str
    fields: tuple[str, ...]
    # Athena SQL over the Glue table; `{table}` is its name.
    sql: str | None

    def sql_for(self, table: str = TABLE_NAME) -> str:
        assert self.sql is not None
        return self.sql.replace("{table}", table)


_TOKEN_FIELDS = (
    "input.inputTokenCount",
    "input.cacheReadInputTokenCount",
    "input.cacheWriteInputTokenCount",
    "output.outputTokenCount",
)
_TOKEN_ALIASES = (
    "input.inputTokenCount as input_tokens, input.cacheReadInputTokenCount as cache_read_tokens, "
    "input.cacheWriteInputTokenCount as cache_write_tokens, output.outputTokenCount as output_tokens"
)
_TOKEN_STATS = (
    "count(*) as calls, sum(input_tokens) as total_input, sum(cache_read_tokens) as total_cache_read, "
    "sum(cache_write_tokens) as total_cache_write, sum(output_tokens) as total_output"
)
_TOKEN_SUMS = (
    'count(*) AS calls,\n  coalesce(sum("input".inputtokencount), 0) AS input_tokens,\n'
    '  coalesce(sum("input".cachereadinputtokencount), 0) AS cache_read_tokens,\n'
    '  coalesce(sum("input".cachewriteinputtokencount), 0) AS cache_write_tokens,\n'
    '  coalesce(sum("output".outputtokencount), 0) AS output_tokens'
)
_RECORDS_ONLY = f'filter schemaType = "{RECORD_SCHEMA_TYPE}"'

QUERIES: tuple[UsageQuery, ...] = (
    UsageQuery(
        name="tokens-by-caller",
        title="Tokens by caller",
        description="Calls and input, cache-read, cache-write and output tokens per IAM principal (identity.arn)",
        insights=(
            f"fields identity.arn as caller, {_TOKEN_ALIASES}\n| {_RECORDS_ONLY}\n"
            f"| stats {_TOKEN_STATS} by caller\n| sort total_input desc\n| limit 100"
        ),
        log=INVOCATION_LOG,
        fields=("schemaType", "identity.arn", *_TOKEN_FIELDS),
        sql=(
            f"SELECT identity.arn AS caller,\n  {_TOKEN_SUMS}\n{records()}\n"
            "GROUP BY identity.arn\nORDER BY input_tokens DESC, caller\nLIMIT 100"
        ),
    ),
    UsageQuery(
        name="tokens-by-model",
        title="Tokens by model and profile",
        description="Calls and tokens per modelId: a model ID, a system-defined profile ID or an application "
        "profile ARN, as the caller sent it",
        insights=(
            f"fields modelId, {_TOKEN_ALIASES}\n| {_RECORDS_ONLY}\n"
            f"| stats {_TOKEN_STATS} by modelId\n| sort total_input desc\n| limit 100"
        ),
        log=INVOCATION_LOG,
        fields=("schemaType", "modelId", *_TOKEN_FIELDS),
        sql=(
            f"SELECT modelid AS model_id,\n  {_TOKEN_SUMS}\n{records()}\n"
            "GROUP BY modelid\nORDER BY input_tokens DESC, model_id\nLIMIT 100"
        ),
    ),
    UsageQuery(
        name="tokens-by-operation",
        title="Calls and tokens by operation",
        description="Calls and tokens per API operation the record names (InvokeModel, Converse, their streaming "
        "forms, and whatever name Bedrock gives calls to the Messages API at /anthropic/v1/messages)",
        insights=(
            f"fields operation, {_TOKEN_ALIASES}\n| {_RECORDS_ONLY}\n"
            f"| stats {_TOKEN_STATS} by operation\n| sort calls desc\n| limit 100"
        ),
        log=INVOCATION_LOG,
        fields=("schemaType", "operation", *_TOKEN_FIELDS),
        sql=(
            f"SELECT operation,\n  {_TOKEN_SUMS}\n{records()}\n"
            "GROUP BY operation\nORDER BY calls DESC, operation NULLS LAST\nLIMIT 100"
        ),
    ),
    UsageQuery(
        name="errors",
        title="Errors by model, code and caller",
        description="Failed calls (a record with an errorCode) per modelId, error code and caller",
        insights=(
            "fields modelId, errorCode, identity.arn as caller\n"
            f"| {_RECORDS_ONLY} and isnotempty(errorCode)\n"
            "| stats count(*) as errors by modelId, errorCode, caller\n| sort errors desc\n| limit 100"
        ),
        log=INVOCATION_LOG,
        fields=("schemaType", "modelId", "errorCode", "identity.arn"),
        sql=(
            f"SELECT modelid AS model_id, errorcode AS error_code, identity.arn AS caller, count(*) AS errors\n"
            f"{records()} AND errorcode IS NOT NULL AND errorcode <> ''\n"
            "GROUP BY modelid, errorcode, identity.arn\nORDER BY errors DESC, model_id, error_code, caller\nLIMIT 100"
        ),
    ),
    UsageQuery(
        name="largest-calls",
        title="Largest calls",
        description="The 50 calls with the most output tokens: when, which model, who, how many tokens in and out",
        insights=(
            "fields @timestamp, requestId, modelId, identity.arn as caller, input.inputTokenCount as input_tokens, "
            f"output.outputTokenCount as output_tokens\n| {_RECORDS_ONLY}\n| sort output_tokens desc\n| limit 50"
        ),
        log=INVOCATION_LOG,
        fields=(
            "schemaType",
            "requestId",
            "modelId",
            "identity.arn",
            "input.inputTokenCount",
            "output.outputTokenCount",
        ),
        sql=(
            'SELECT "timestamp", requestid AS request_id, modelid AS model_id, identity.arn AS caller,\n'
            '  "input".inputtokencount AS input_tokens, "output".outputtokencount AS output_tokens\n'
            f"{records()}\nORDER BY output_tokens DESC NULLS LAST, request_id\nLIMIT 50"
        ),
    ),
    UsageQuery(
        name="slowest-calls",
        title="Slowest Converse calls",
        description="The 50 slowest Converse calls, by the latency Bedrock reports in the Converse response "
        "(InvokeModel records carry none: see the invoker's slowest calls)",
        insights=(
            "fields @timestamp, requestId, operation, modelId, identity.arn as caller, "
            "output.outputBodyJson.metrics.latencyMs as latency_ms\n"
            f"| {_RECORDS_ONLY} and ispresent(output.outputBodyJson.metrics.latencyMs)\n"
            "| sort latency_ms desc\n| limit 50"
        ),
        log=INVOCATION_LOG,
        fields=(
            "schemaType",
            "requestId",
            "operation",
            "modelId",
            "identity.arn",
            "output.outputBodyJson.metrics.latencyMs",
        ),
        sql=None,  # the body is not a table column (its shape varies by operation)
    ),
    UsageQuery(
        name="calls-by-invoker-metadata",
        title="Invoker calls by user and model",
        description="Calls made through the invoker function, by the user_id the service asserted and the model "
        "alias (the invoker's request metadata)",
        insights=(
            "fields requestMetadata.user_id as user_id, requestMetadata.model_alias as model_alias, "
            "input.inputTokenCount as input_tokens, output.outputTokenCount as output_tokens\n"
            f'| {_RECORDS_ONLY} and requestMetadata.invoker = "{INVOKER_METADATA_VALUE}"\n'
            "| stats count(*) as calls, sum(input_tokens) as total_input, sum(output_tokens) as total_output by "
            "user_id, model_alias\n| sort calls desc\n| limit 100"
        ),
        log=INVOCATION_LOG,
        fields=(
            "schemaType",
            "requestMetadata.user_id",
            "requestMetadata.model_alias",
            "requestMetadata.invoker",
            "input.inputTokenCount",
            "output.outputTokenCount",
        ),
        sql=(
            "SELECT requestmetadata.user_id AS user_id, requestmetadata.model_alias AS model_alias,\n"
            "  count(*) AS calls,\n"
            '  coalesce(sum("input".inputtokencount), 0) AS input_tokens,\n'
            '  coalesce(sum("output".outputtokencount), 0) AS output_tokens\n'
            f"{records()} AND requestmetadata.invoker = '{INVOKER_METADATA_VALUE}'\n"
            "GROUP BY requestmetadata.user_id, requestmetadata.model_alias\n"
            "ORDER BY calls DESC, user_id NULLS LAST, model_alias\nLIMIT 100"
        ),
    ),
    UsageQuery(
        name="daily-tokens",
        title="Tokens per day and model, last 365 days",
        description="History beyond what Logs Insights keeps cheap: calls and tokens per UTC day and modelId",
        insights=None,
        log=INVOCATION_LOG,
        fields=(),
        sql=(
            f"SELECT substr(dt, 1, 10) AS day, modelid AS model_id,\n  {_TOKEN_SUMS}\n{records(365)}\n"
            "GROUP BY substr(dt, 1, 10), modelid\nORDER BY day, model_id"
        ),
    ),
    UsageQuery(
        name="slowest-invoker-calls",
        title="Slowest invoker calls",
        description="The 50 slowest successful calls through the invoker function, from its own log (latency of "
        "the Bedrock call, retries, tokens, model alias, the caller's user_id)",
        insights=(
            "fields @timestamp, model_alias, latency_ms, retries, input_tokens, output_tokens, caller_user_id\n"
            f'| filter message = "{INVOKER_SUCCESS_MESSAGE}"\n| sort latency_ms desc\n| limit 50'
        ),
        log=INVOKER_LOG,
        fields=("message", "model_alias", "latency_ms", "retries", "input_tokens", "output_tokens", "caller_user_id"),
        sql=None,
    ),
)


def by_name(name: str, queries: tuple[UsageQuery, ...] = QUERIES) -> UsageQuery:
    (query,) = [q for q in queries if q.name == name]
    return query


# Who a call is billed to: the principal the invoker authenticated (its `requestMetadata.caller_arn`) for a call made
# through its function URL, else the IAM principal that signed the Bedrock call.
SQL_CALLER = "coalesce(nullif(requestmetadata.caller_arn, ''), identity.arn)"
INSIGHTS_CALLER = "coalesce(requestMetadata.caller_arn, identity.arn)"
# What an estimated-cost query groups by: who called (the IAM principal Bedrock recorded), the team (the caller's
# `requestMetadata.team`, or the team whose application profile was called), and the model or profile called.
_COST_SUMS = (
    "count(*) AS calls,\n  sum(input_tokens) AS input_tokens, sum(cache_write_tokens) AS cache_write_tokens,\n"
    "  sum(cache_read_tokens) AS cache_read_tokens, sum(output_tokens) AS output_tokens,\n"
    "  round(sum(cost_usd), 6) AS estimated_usd,\n"
    "  sum(CASE WHEN cost_usd IS NULL THEN 1 ELSE 0 END) AS unpriced_calls"
)


def _priced_records(targets: Sequence[PricedTarget], team: str, days: int) -> str:
    """Two CTEs: the window's records with their day, caller, team, model and token counts (null as 0), then the
    same with their estimated cost."""
    tokens = ",\n".join(
        f"    coalesce({column}, 0) AS {name}" for column, name in zip(SQL_COLUMNS, SQL_TOKENS, strict=True)
    )
    window = records(days).replace("\n", "\n  ")
    cost = sql_cost(targets).replace("\n", "\n    ")
    return (
        "WITH window_records AS (\n"
        f"  SELECT substr(dt, 1, 10) AS day, {SQL_CALLER} AS caller, {team} AS team, modelid AS model_id,\n"
        f"{tokens}\n  {window}\n),\n"
        f"priced AS (\n  SELECT *,\n    {cost} AS cost_usd\n  FROM window_records\n)\n"
    )


def insights_cost_query(targets: Sequence[PricedTarget], only: str | None = None) -> str:
    """Logs Insights: estimated USD per UTC day, caller, `requestMetadata.team` and modelId; `only` narrows the
    records with one more filter condition."""
    cost, unpriced = insights_cost(targets)
    narrowed = f" and ({only})" if only else ""
    return (
        f"fields {INSIGHTS_CALLER} as caller, requestMetadata.team as team, {insights_prelude()}\n"
        f"| {_RECORDS_ONLY}{narrowed}\n"
        f"| fields {cost} as usd, {unpriced} as unpriced\n"
        "| stats count(*) as calls, sum(usd) as estimated_usd, sum(unpriced) as unpriced_calls "
        "by bin(1d), caller, team, modelId\n| sort estimated_usd desc\n| limit 1000"
    )


def sql_team(team_profiles: Sequence[tuple[str, str]]) -> str:
    """SQL: the team a record is billed to: the team whose application profile it called, else its
    `requestMetadata.team`."""
    arms = [f"WHEN modelid LIKE '%{profile_id}' THEN '{team}'" for profile_id, team in team_profiles]
    if not arms:
        return "requestmetadata.team"
    return "CASE " + " ".join(arms) + " ELSE requestmetadata.team END"


def cost_queries(
    targets: Sequence[PricedTarget], team_profiles: Sequence[tuple[str, str]] = (), *, prefix: str = ""
) -> tuple[UsageQuery, ...]:
    """The estimated-cost queries for these priced targets. In SQL, `team_profiles` (application profile ID, team)
    name the team of calls through a team's profile; Logs Insights shows `requestMetadata.team` and the profile's
    ARN (`team_cost_query` narrows to one team)."""
    team = sql_team(team_profiles)
    return (
        UsageQuery(
            name=f"{prefix}cost-by-caller",
            title="Estimated cost by day, caller, team and model",
            description="Estimated USD (list prices, core/catalog/prices.py) per UTC day, caller (the invoker's "
            "authenticated caller, else the IAM principal), requestMetadata.team and modelId, with the calls no "
            "price covers",
            # Logs Insights names no team, and its query text is bounded (10,000 characters): it prices the models;
            # calls through a team profile are priced by that team's own query (`team_cost_query`).
            insights=insights_cost_query([t for t in targets if t.suffix not in dict(team_profiles)]),
            log=INVOCATION_LOG,
            fields=(
                "schemaType",
                "requestMetadata.caller_arn",
                "identity.arn",
                "requestMetadata.team",
                "modelId",
                *_TOKEN_FIELDS,
            ),
            sql=(
                f"{_priced_records(targets, team, WINDOW_DAYS)}"
                f"SELECT day, caller, team, model_id,\n  {_COST_SUMS}\nFROM priced\n"
                "GROUP BY day, caller, team, model_id\n"
                "ORDER BY day, estimated_usd DESC NULLS LAST, caller, team NULLS FIRST, model_id"
            ),
        ),
        UsageQuery(
            name=f"{prefix}monthly-cost-by-team",
            title="Estimated cost per month, team and caller, last 365 days",
            description="Estimated USD per calendar month (UTC), team and IAM principal: the chargeback view",
            insights=None,
            log=INVOCATION_LOG,
            fields=(),
            sql=(
                f"{_priced_records(targets, team, 365)}"
                f"SELECT substr(day, 1, 7) AS month, team, caller,\n  {_COST_SUMS}\nFROM priced\n"
                "GROUP BY substr(day, 1, 7), team, caller\n"
                "ORDER BY month, team NULLS FIRST, estimated_usd DESC NULLS LAST, caller"
            ),
        ),
    )


def team_cost_query(targets: Sequence[PricedTarget], team: str, profile_ids: Sequence[str]) -> UsageQuery:
    """Logs Insights: the estimated cost of one team: calls through its application profiles, and calls whose
    `requestMetadata.team` names it."""
    only = " or ".join([f'requestMetadata.team = "{team}"', *(f'modelId like "{p}"' for p in profile_ids)])
    return UsageQuery(
        name=f"team-{team}-cost",
        title=f"Estimated cost of team {team}",
        description=f"Estimated USD of team {team} per UTC day, caller and model: its application profiles' calls "
        "and calls naming it in requestMetadata.team",
        insights=insights_cost_query(targets, only),
        log=INVOCATION_LOG,
        fields=(
            "schemaType",
            "requestMetadata.caller_arn",
            "identity.arn",
            "requestMetadata.team",
            "modelId",
            *_TOKEN_FIELDS,
        ),
        sql=None,
    )

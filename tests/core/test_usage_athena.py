"""The Athena queries, run by a real SQL engine (DuckDB) on synthetic logs laid out exactly as Bedrock writes them.

Records of AWS's documented shape (tests/support/invocation_log.py) are written as gzipped JSON lines per hour, with
sidecar bodies under `<HH>/data/` for large inputs and the permission-check marker. Each query's result must equal
totals computed here in Python from the records themselves; a query that names a column the table lacks fails to
bind. Dates are relative to the engine's own `current_date` (UTC), so the partition window is exercised: records
older than a query's window must not count.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest

from core.usage.athena import (
    CALLER_METADATA_KEYS,
    COLUMNS,
    INVOKER_METADATA_KEYS,
    SERDE_PARAMETERS,
    table_parameters,
)
from core.usage.queries import INVOKER_METADATA_VALUE, QUERIES, WINDOW_DAYS, by_name
from tests.support.athena_duckdb import connect
from tests.support.invocation_log import ACCOUNT, field_paths, record, sample_records, write_logs

CALLERS = [f"arn:aws:sts::{ACCOUNT}:assumed-role/{role}/s" for role in ("InvokerRole", "data-team", "support-team")]
MODELS = [
    "eu.anthropic.claude-sonnet-4-6",
    "eu.anthropic.claude-haiku-4-5-20251001-v1:0",
    f"arn:aws:bedrock:eu-west-1:{ACCOUNT}:application-inference-profile/hq2of259skzs",
]
# The four operations AWS's logging page lists, and a name the Messages API on bedrock-runtime might be logged under
# (unconfirmed: the query counts whatever operation a record names).
OPERATIONS = ["InvokeModel", "InvokeModelWithResponseStream", "Converse", "ConverseStream", "CreateMessage"]
# Days before today: inside the 30-day window, between 30 and 365 days, beyond 365 (never on a window's edge).
DAYS = [*range(0, 29), 45, 90, 200, 400]


def _today() -> date:
    (today,) = duckdb.connect().execute("SET TimeZone = 'UTC'; SELECT current_date").fetchone()  # type: ignore[misc]
    return today  # type: ignore[no-any-return]


def synthetic_records(today: date, count: int = 400, seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    records = []
    for n in range(count):
        day = today - timedelta(days=rng.choice(DAYS))
        when = datetime(day.year, day.month, day.day, rng.randrange(24), rng.randrange(60))
        invoker = rng.random() < 0.4
        failed = rng.random() < 0.1
        metadata = None
        if invoker:
            metadata = {
                "invoker": INVOKER_METADATA_VALUE,
                "model_alias": rng.choice(["claude-sonnet-4-6", "claude-haiku-4-5"]),
            }
            if rng.random() < 0.7:
                metadata["user_id"] = rng.choice(["user-1", "user-2", "user-3"])
        elif rng.random() < 0.2:
            metadata = {"team": "orchestrator"}  # another caller's metadata: not an invoker call
        records.append(
            record(
                when=when,
                request_id=f"req-{n:05d}",
                model_id=rng.choice(MODELS),
                operation=rng.choice(OPERATIONS),
                caller=CALLERS[0] if invoker else rng.choice(CALLERS),
                input_tokens=0 if failed else rng.randrange(1, 5000),
                output_tokens=0 if failed else rng.randrange(1, 3000),
                cache_read=rng.choice([None, rng.randrange(0, 2000)]),
                cache_write=rng.choice([None, rng.randrange(0, 500)]),
                metadata=metadata,
                error_code=rng.choice(["ThrottlingException", "ValidationException"]) if failed else None,
                large_input=rng.random() < 0.15,
            )
        )
    return records


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> tuple[duckdb.DuckDBPyConnection, list[dict[str, Any]], date]:
    today = _today()
    records = synthetic_records(today)
    root = write_logs(tmp_path_factory.mktemp("bucket"), records)
    assert list(root.rglob("data/*_input.json.gz")), "the synthetic logs must hold sidecar bodies"
    return connect(root, read_once=True), records, today  # the files are read once for the module's queries


def _in_window(entry: dict[str, Any], today: date, days: int) -> bool:
    return entry["timestamp"][:10] >= (today - timedelta(days=days)).isoformat()


def _sums(entries: list[dict[str, Any]]) -> tuple[int, int, int, int, int]:
    return (
        len(entries),
        sum(e["input"]["inputTokenCount"] for e in entries),
        sum(e["input"].get("cacheReadInputTokenCount") or 0 for e in entries),
        sum(e["input"].get("cacheWriteInputTokenCount") or 0 for e in entries),
        sum(e["output"]["outputTokenCount"] for e in entries),
    )


def _grouped(entries: list[dict[str, Any]], key: Callable[[dict[str, Any]], Any]) -> dict[Any, list[dict[str, Any]]]:
    groups: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for entry in entries:
        groups[key(entry)].append(entry)
    return groups


def expected(name: str, records: list[dict[str, Any]], today: date) -> list[tuple[Any, ...]]:
    """Each query's answer, computed from the records in Python."""
    recent = [r for r in records if _in_window(r, today, WINDOW_DAYS)]
    if name in ("tokens-by-caller", "tokens-by-model"):
        key = (lambda r: r["identity"]["arn"]) if name == "tokens-by-caller" else (lambda r: r["modelId"])
        rows = [(k, *_sums(v)) for k, v in _grouped(recent, key).items()]
        return sorted(rows, key=lambda row: (-row[2], row[0]))[:100]
    if name == "tokens-by-operation":
        rows = [(k, *_sums(v)) for k, v in _grouped(recent, lambda r: r["operation"]).items()]
        return sorted(rows, key=lambda row: (-row[1], row[0]))[:100]
    if name == "errors":
        failed = [r for r in recent if r.get("errorCode")]
        groups = _grouped(failed, lambda r: (r["modelId"], r["errorCode"], r["identity"]["arn"]))
        return sorted(((*k, len(v)) for k, v in groups.items()), key=lambda row: (-row[3], row[0], row[1], row[2]))
    if name == "largest-calls":
        ordered = sorted(recent, key=lambda r: (-r["output"]["outputTokenCount"], r["requestId"]))[:50]
        return [
            (
                r["timestamp"],
                r["requestId"],
                r["modelId"],
                r["identity"]["arn"],
                r["input"]["inputTokenCount"],
                r["output"]["outputTokenCount"],
            )
            for r in ordered
        ]
    if name == "calls-by-invoker-metadata":
        calls = [r for r in recent if r.get("requestMetadata", {}).get("invoker") == INVOKER_METADATA_VALUE]
        groups = _grouped(calls, lambda r: (r["requestMetadata"].get("user_id"), r["requestMetadata"]["model_alias"]))
        rows = [(*k, *(_sums(v)[i] for i in (0, 1, 4))) for k, v in groups.items()]
        return sorted(rows, key=lambda row: (-row[2], row[0] is None, row[0] or "", row[1]))
    if name == "daily-tokens":
        year = [r for r in records if _in_window(r, today, 365)]
        groups = _grouped(year, lambda r: (r["timestamp"][:10].replace("-", "/"), r["modelId"]))
        return sorted((*k, *_sums(v)) for k, v in groups.items())
    raise AssertionError(f"no expectation for {name}")


@pytest.mark.parametrize("query", [q for q in QUERIES if q.sql], ids=lambda q: q.name)
def test_each_query_returns_the_totals_of_the_records(query: Any, logs: Any) -> None:
    connection, records, today = logs
    rows = connection.execute(query.sql_for()).fetchall()
    assert rows == expected(query.name, records, today)
    assert rows, f"{query.name}: the synthetic logs must give it something to count"


def test_the_window_and_the_record_filter_matter(logs: Any) -> None:
    """The checks can fail: without the record filter sidecar bodies count as calls; without the window, old ones."""
    connection, records, today = logs
    query = by_name("tokens-by-caller").sql_for()
    unfiltered = query.replace("schematype = 'ModelInvocationLog' AND ", "")
    assert connection.execute(unfiltered).fetchall() != expected("tokens-by-caller", records, today)
    unwindowed = query.replace("interval '30' day", "interval '3650' day")
    assert connection.execute(unwindowed).fetchall() != expected("tokens-by-caller", records, today)


def test_a_query_naming_a_missing_column_fails(logs: Any) -> None:
    connection, _, _ = logs
    wrong = by_name("tokens-by-caller").sql_for().replace('"input".inputtokencount', '"input".inputtokens')
    with pytest.raises(duckdb.BinderException):
        connection.execute(wrong)


def test_every_column_reads_a_field_of_a_documented_record() -> None:
    paths = set().union(*(field_paths(r) for r in sample_records()))
    for column in COLUMNS:
        nested = column.type if isinstance(column.type, tuple) else ()
        assert column.key in paths or column.key == "inputBodyS3Path", column.key
        for field in nested:
            path = f"{column.key}.{field.key}"
            assert path in paths or field.key.endswith("BodyS3Path") or column.key == "requestMetadata", path
    metadata = next(c for c in COLUMNS if c.key == "requestMetadata").type
    # The invoker's keys, then the callers' the queries read (`team`, which the invoker sends too), each once.
    assert tuple(f.key for f in metadata) == tuple(dict.fromkeys((*INVOKER_METADATA_KEYS, *CALLER_METADATA_KEYS)))
    assert [f.key for f in metadata].count("team") == 1


def test_the_table_projects_hourly_partitions_over_the_retention() -> None:
    parameters = table_parameters("log-bucket", ACCOUNT, "eu-west-1", 90)
    assert parameters == {
        "classification": "json",
        "projection.enabled": "true",
        "projection.dt.type": "date",
        "projection.dt.format": "yyyy/MM/dd/HH",
        "projection.dt.range": "NOW-90DAYS,NOW",
        "projection.dt.interval": "1",
        "projection.dt.interval.unit": "HOURS",
        "storage.location.template": (
            f"s3://log-bucket/invocation-logs/AWSLogs/{ACCOUNT}/BedrockModelInvocationLogs/eu-west-1/${{dt}}/"
        ),
    }
    assert SERDE_PARAMETERS == {"ignore.malformed.json": "TRUE", "case.insensitive": "TRUE"}


def test_the_layout_is_the_one_bedrock_writes(tmp_path: Path) -> None:
    when = datetime(2026, 11, 20, 9, 30)
    root = write_logs(tmp_path, [record(when=when, request_id="r1", large_input=True)])
    files = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    base = f"invocation-logs/AWSLogs/{ACCOUNT}/BedrockModelInvocationLogs"
    assert files == [
        f"{base}/amazon-bedrock-logs-permission-check",
        f"{base}/eu-west-1/2026/11/20/09/20261120T090102Z_9f2a0001.json.gz",
        f"{base}/eu-west-1/2026/11/20/09/data/r1_input.json.gz",
    ]
    assert root == tmp_path / base / "eu-west-1"

"""The CUR 2.0 export (EVERY_OPTION_CONTEXT `cost_export`): what it asks Data Exports for, who may write to its bucket
(an IAM evaluator this project did not write), and its Athena queries run on synthetic Parquet laid out as
delivered, against totals computed here in Python.

Written from the sources: CUR 2.0's column `line_item_iam_principal` ("Migrating from CUR to Data Exports CUR 2.0"),
principal tags in the tags column as `iamPrincipal/<key>` (AWS Machine Learning blog, 2026-04-17), AWS's bucket
policy for data exports (service `bcm-data-exports.amazonaws.com`, `s3:PutObject` and `s3:GetBucketPolicy`, this
account's exports in us-east-1).
"""

from __future__ import annotations

import random
from collections import defaultdict
from typing import Any

import duckdb
import pytest

from core.usage.cost_export import COLUMNS, TABLE_NAME, billing_queries, data_location, table_parameters
from tests.support.cfn_values import SAMPLE_ACCOUNT
from tests.support.iam_evaluator import service_allowed
from tests.support.synth import Synth

SERVICE = "bcm-data-exports.amazonaws.com"
OWN_EXPORT = f"arn:aws:bcm-data-exports:us-east-1:{SAMPLE_ACCOUNT}:export/claude-on-bedrock-cur2-1234"


@pytest.fixture(scope="module")
def export(every_option_synth: Synth) -> tuple[dict[str, Any], dict[str, Any]]:
    template = every_option_synth.templates["ClaudeCostExport"]
    values = every_option_synth.values("ClaudeCostExport")
    resources = {k: values.resolve(r) for k, r in template["Resources"].items()}
    return resources, {k: r for k, r in template["Resources"].items()}


def _one(resources: dict[str, Any], kind: str) -> dict[str, Any]:
    (found,) = [r for r in resources.values() if r["Type"] == kind]
    return found


def test_the_export_asks_for_iam_principal_data_into_its_bucket(
    export: tuple[dict[str, Any], dict[str, Any]], every_option_synth: Synth
) -> None:
    resources, _ = export
    spec = _one(resources, "AWS::BCMDataExports::Export")["Properties"]["Export"]
    query = spec["DataQuery"]["QueryStatement"]
    assert query.startswith("SELECT ") and query.endswith(" FROM COST_AND_USAGE_REPORT")
    assert "line_item_iam_principal" in query and "resource_tags" in query and "*" not in query
    assert spec["DataQuery"]["TableConfigurations"]["COST_AND_USAGE_REPORT"]["INCLUDE_IAM_PRINCIPAL_DATA"] == "TRUE"
    destination = spec["DestinationConfigurations"]["S3Destination"]
    bucket = _one(resources, "AWS::S3::Bucket")
    values = every_option_synth.values("ClaudeCostExport")
    (bucket_id,) = [k for k, r in export[1].items() if r["Type"] == "AWS::S3::Bucket"]
    assert destination["S3Bucket"] == values.physical_name(bucket_id)
    assert destination["S3Region"] == "us-east-1"
    assert destination["S3OutputConfigurations"]["Format"] == "PARQUET"
    assert bucket["Properties"]["PublicAccessBlockConfiguration"]["BlockPublicPolicy"] is True


def test_only_this_accounts_data_exports_may_write_to_the_bucket(
    export: tuple[dict[str, Any], dict[str, Any]], every_option_synth: Synth
) -> None:
    resources, raw = export
    policy = _one(resources, "AWS::S3::BucketPolicy")["Properties"]["PolicyDocument"]
    (bucket_id,) = [k for k, r in raw.items() if r["Type"] == "AWS::S3::Bucket"]
    bucket = every_option_synth.values("ClaudeCostExport").arn(bucket_id)
    own = {"aws:SourceAccount": SAMPLE_ACCOUNT, "aws:SourceArn": OWN_EXPORT, "aws:SecureTransport": "true"}
    obj = f"{bucket}/cur2/claude-on-bedrock-cur2/data/BILLING_PERIOD=2026-12/part-0.parquet"
    assert service_allowed(SERVICE, "s3:PutObject", obj, policy, SAMPLE_ACCOUNT, own)
    assert service_allowed(SERVICE, "s3:GetBucketPolicy", bucket, policy, SAMPLE_ACCOUNT, own)
    other = {**own, "aws:SourceAccount": "444455556666", "aws:SourceArn": OWN_EXPORT.replace(SAMPLE_ACCOUNT, "4" * 12)}
    assert not service_allowed(SERVICE, "s3:PutObject", obj, policy, SAMPLE_ACCOUNT, other)
    assert not service_allowed(SERVICE, "s3:DeleteObject", obj, policy, SAMPLE_ACCOUNT, own)
    assert not service_allowed("bedrock.amazonaws.com", "s3:PutObject", obj, policy, SAMPLE_ACCOUNT, own)


PRINCIPALS = [f"arn:aws:sts::{SAMPLE_ACCOUNT}:assumed-role/{r}/s" for r in ("InvokerRole", "data-team", "support")]
TAGS = [
    {"iamPrincipal/project": "claude-on-bedrock", "iamPrincipal/team": "data-science"},
    {"iamPrincipal/project": "claude-on-bedrock"},
    {"user:cost-center": "4711"},
    {},
]


def _line_items(seed: int = 5) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    rows = []
    for n in range(300):
        month = rng.choice(["2026-10", "2026-11", "2026-12"])
        rows.append(
            {
                "billing_period": month,
                "line_item_iam_principal": rng.choice([*PRINCIPALS, "", None]),
                "line_item_product_code": rng.choice(["AmazonBedrock", "AmazonS3"]),
                "line_item_unblended_cost": round(rng.uniform(0, 20), 6),
                "resource_tags": rng.choice(TAGS),
                "n": n,
            }
        )
    return rows


@pytest.fixture(scope="module")
def cur(tmp_path_factory: pytest.TempPathFactory) -> tuple[duckdb.DuckDBPyConnection, list[dict[str, Any]]]:
    """Parquet files under `data/BILLING_PERIOD=<yyyy-MM>/`, read as the Glue table projects them."""
    rows = _line_items()
    root = tmp_path_factory.mktemp("cur") / "cur2" / "claude-on-bedrock-cur2" / "data"
    connection = duckdb.connect()
    columns = {name for name, _ in COLUMNS}
    for month in sorted({r["billing_period"] for r in rows}):
        folder = root / f"BILLING_PERIOD={month}"
        folder.mkdir(parents=True)
        selected = [r for r in rows if r["billing_period"] == month]
        values = ",\n".join(
            f"({_text(r['line_item_iam_principal'])}, '{r['line_item_product_code']}', "
            f"{r['line_item_unblended_cost']}::DOUBLE, {_map(r['resource_tags'])})"
            for r in selected
        )
        connection.execute(
            f"COPY (SELECT * FROM (VALUES {values}) AS t(line_item_iam_principal, line_item_product_code, "
            f"line_item_unblended_cost, resource_tags)) TO '{folder / 'part-0.parquet'}' (FORMAT PARQUET)"
        )
    assert {"line_item_iam_principal", "line_item_unblended_cost", "resource_tags"} <= columns
    connection.execute(
        f"CREATE VIEW {TABLE_NAME} AS SELECT * EXCLUDE (filename), "
        "regexp_extract(filename, 'BILLING_PERIOD=([0-9-]+)/', 1) AS billing_period "
        f"FROM read_parquet('{root.as_posix()}/*/*.parquet', filename = true)"
    )
    return connection, rows


def _text(value: str | None) -> str:
    return "NULL" if value is None else f"'{value}'"


def _map(tags: dict[str, str]) -> str:
    if not tags:
        return "MAP {}::MAP(VARCHAR, VARCHAR)"
    return "MAP {" + ", ".join(f"'{k}': '{v}'" for k, v in tags.items()) + "}"


def _duckdb(sql: str) -> str:
    """Athena's `element_at(map, key)` (NULL when the key is absent) is DuckDB's `map_extract_value`."""
    return sql.replace("element_at(", "map_extract_value(")


def test_cost_by_principal_sums_the_attributed_line_items(cur: Any) -> None:
    connection, rows = cur
    (query, _) = billing_queries(("project", "team"))
    got = connection.execute(_duckdb(query.sql)).fetchall()
    want: dict[tuple[str, str, str], list[float]] = defaultdict(list)
    for r in rows:
        if r["line_item_iam_principal"]:
            want[(r["billing_period"], r["line_item_iam_principal"], r["line_item_product_code"])].append(
                r["line_item_unblended_cost"]
            )
    assert len(got) == len(want)
    for period, principal, product, cost, count in got:
        items = want[(period, principal, product)]
        assert (count, float(cost)) == (len(items), pytest.approx(sum(items), abs=1e-6))


def test_cost_by_principal_tag_reads_the_iam_principal_prefix(cur: Any) -> None:
    connection, rows = cur
    (_, query) = billing_queries(("project", "team"))
    assert "element_at(resource_tags, 'iamPrincipal/team')" in query.sql
    rows_got = connection.execute(_duckdb(query.sql)).fetchall()
    got = {(p, project, team): float(cost) for p, project, team, cost in rows_got}
    want: dict[tuple[str, str | None, str | None], float] = defaultdict(float)
    for r in rows:
        if r["line_item_iam_principal"]:
            tags = r["resource_tags"]
            key = (r["billing_period"], tags.get("iamPrincipal/project"), tags.get("iamPrincipal/team"))
            want[key] += r["line_item_unblended_cost"]
    assert got.keys() == want.keys()
    assert all(got[k] == pytest.approx(want[k], abs=1e-6) for k in want)
    assert ("2026-12", "claude-on-bedrock", "data-science") in got


def test_the_table_reads_the_delivered_layout() -> None:
    assert data_location("b") == "s3://b/cur2/claude-on-bedrock-cur2/data/"
    assert table_parameters("b")["storage.location.template"] == (
        "s3://b/cur2/claude-on-bedrock-cur2/data/BILLING_PERIOD=${billing_period}/"
    )

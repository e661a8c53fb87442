"""Money in the usage views: the generated SQL (on DuckDB) and Logs Insights expressions price synthetic records, and
each answer must equal money computed here, in Python, from the records and the price data.

The expectation does not reuse the query generator: a record's model is the catalog model whose Bedrock ID its
`modelId` ends with, its scope the prefix of the last path segment (`global.`, `eu.`..., none for a model ID), its
rates the table's with 10% more for a regional endpoint of a model released from Sonnet 4.5 on (the rule restated
from Anthropic's Bedrock page in tests/core/test_catalog_prices.py).
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from core.catalog.lookup import Catalog
from core.catalog.models import ClaudeModel
from core.catalog.prices import PriceTable, Rates
from core.usage.costs import PricedTarget, insights_cost, model_targets, profile_target, sql_cost
from core.usage.queries import WINDOW_DAYS, cost_queries, team_cost_query
from tests.core.test_catalog_prices import RELEASED_BEFORE_SONNET_45
from tests.support.athena_duckdb import connect
from tests.support.invocation_log import ACCOUNT, record, write_logs

CATALOG = Catalog()
PRICES = PriceTable()
TARGETS = model_targets(CATALOG.models, PRICES)
TEAM_PROFILE = "hq2of259skzs"
TEAM_PROFILE_ARN = f"arn:aws:bedrock:eu-west-1:{ACCOUNT}:application-inference-profile/{TEAM_PROFILE}"
TEAM_MODEL = CATALOG.get("claude-sonnet-4-6")
CALLERS = [f"arn:aws:sts::{ACCOUNT}:assumed-role/{role}/s" for role in ("InvokerRole", "data-team", "support-team")]
DAYS = [*range(0, 29), 45, 200, 400]
URL_CALLER = f"arn:aws:iam::{ACCOUNT}:role/orders-service"
TABLE = "records_read_once"


def _today() -> date:
    (today,) = duckdb.connect().execute("SET TimeZone = 'UTC'; SELECT current_date").fetchone()  # type: ignore[misc]
    return today  # type: ignore[no-any-return]


def model_ids(rng: random.Random, model: ClaudeModel) -> str:
    """One of the identifiers a caller may send for `model`: a profile ID of a scope it has, the model ID, or an
    ARN of either."""
    scope = rng.choice([*sorted(model.scopes), ""])
    identifier = f"{scope}.{model.model_id}" if scope else model.model_id
    if rng.random() < 0.2:
        kind = "inference-profile" if scope else "foundation-model"
        account = ACCOUNT if scope else ""
        identifier = f"arn:aws:bedrock:eu-west-1:{account}:{kind}/{identifier}"
    return identifier


def synthetic_records(today: date, count: int = 600, seed: int = 11) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    records = []
    for n in range(count):
        day = today - timedelta(days=rng.choice(DAYS))
        roll = rng.random()
        if roll < 0.1:
            model_id = TEAM_PROFILE_ARN  # a team's application profile: priced only where its model is known
        elif roll < 0.13:
            model_id = "eu.anthropic.claude-unpriced-9"  # a model no table prices
        else:
            model_id = model_ids(rng, rng.choice(CATALOG.models))
        records.append(
            record(
                when=datetime(day.year, day.month, day.day, rng.randrange(24), rng.randrange(60)),
                request_id=f"req-{n:05d}",
                model_id=model_id,
                caller=rng.choice(CALLERS),
                input_tokens=rng.randrange(0, 50_000),
                output_tokens=rng.randrange(0, 8_000),
                cache_read=rng.choice([None, rng.randrange(0, 200_000)]),
                cache_write=rng.choice([None, rng.randrange(0, 20_000)]),
                metadata=rng.choice(
                    [
                        None,
                        {"team": "orchestrator"},
                        {"team": "support"},
                        # A call through the invoker's function URL: the authenticated caller is billed.
                        {"invoker": "claude-invoker", "attribution": "authenticated", "caller_arn": URL_CALLER},
                    ]
                ),
            )
        )
    return records


def expected_cost(entry: Mapping[str, Any], profiles: Mapping[str, tuple[ClaudeModel, str]]) -> Decimal | None:
    """A record's USD, from the record and the price data; None when nothing prices it."""
    model_id = entry["modelId"]
    last = model_id.rsplit("/", 1)[-1]
    if last in profiles:
        model, scope = profiles[last]
    else:
        found = [m for m in CATALOG.models if last.endswith(m.model_id) and last[: -len(m.model_id)] in _PREFIXES]
        if not found:
            return None
        (model,) = found
        scope = last[: -len(model.model_id)].rstrip(".") or "in-region"
    price = PRICES.price(model.alias)
    if price is None:
        return None
    factor = Decimal(1) if scope == "global" or model.alias in RELEASED_BEFORE_SONNET_45 else Decimal("1.1")
    rates = price.rates
    tokens = entry["input"]
    total = (
        tokens["inputTokenCount"] * rates.input
        + (tokens.get("cacheWriteInputTokenCount") or 0) * rates.cache_write
        + (tokens.get("cacheReadInputTokenCount") or 0) * rates.cache_read
        + entry["output"]["outputTokenCount"] * rates.output
    )
    return total * factor / Decimal(1_000_000)


_PREFIXES = {"", "global.", "us.", "eu.", "jp.", "apac.", "au."}


def _team(entry: Mapping[str, Any], team_profiles: Mapping[str, str]) -> str | None:
    last = entry["modelId"].rsplit("/", 1)[-1]
    if last in team_profiles:
        return team_profiles[last]
    return (entry.get("requestMetadata") or {}).get("team")


def _tokens(entries: Sequence[Mapping[str, Any]]) -> tuple[int, int, int, int]:
    return (
        sum(e["input"]["inputTokenCount"] for e in entries),
        sum(e["input"].get("cacheWriteInputTokenCount") or 0 for e in entries),
        sum(e["input"].get("cacheReadInputTokenCount") or 0 for e in entries),
        sum(e["output"]["outputTokenCount"] for e in entries),
    )


def expected_rows(
    name: str,
    records: Sequence[Mapping[str, Any]],
    today: date,
    profiles: Mapping[str, tuple[ClaudeModel, str]],
    team_profiles: Mapping[str, str],
) -> list[tuple[Any, ...]]:
    days = WINDOW_DAYS if name.endswith("cost-by-caller") else 365
    since = (today - timedelta(days=days)).isoformat()
    recent = [r for r in records if r["timestamp"][:10] >= since]
    by_caller = name.endswith("cost-by-caller")

    def key(r: Mapping[str, Any]) -> tuple[Any, ...]:
        caller = (r.get("requestMetadata") or {}).get("caller_arn") or r["identity"]["arn"]
        if by_caller:
            return (r["timestamp"][:10].replace("-", "/"), caller, _team(r, team_profiles), r["modelId"])
        return (r["timestamp"][:7].replace("-", "/"), _team(r, team_profiles), caller)

    groups: dict[tuple[Any, ...], list[Mapping[str, Any]]] = defaultdict(list)
    for entry in recent:
        groups[key(entry)].append(entry)
    rows = []
    for group, entries in groups.items():
        costs = [expected_cost(e, profiles) for e in entries]
        priced = [c for c in costs if c is not None]
        usd = round(sum(priced, Decimal(0)), 6) if priced else None
        rows.append((*group, len(entries), *_tokens(entries), usd, len(costs) - len(priced)))
    return rows


def _sort_key(name: str) -> Callable[[tuple[Any, ...]], Any]:
    if name.endswith("cost-by-caller"):  # day, estimated_usd desc (nulls last), caller, team (nulls first), model
        return lambda row: (row[0], row[9] is None, -(row[9] or 0), row[1], row[2] is not None, row[2] or "", row[3])
    return lambda row: (row[0], row[1] is not None, row[1] or "", row[8] is None, -(row[8] or 0), row[2])


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> tuple[duckdb.DuckDBPyConnection, list[dict[str, Any]], date]:
    today = _today()
    records = synthetic_records(today)
    root = write_logs(tmp_path_factory.mktemp("bucket"), records)
    connection = connect(root)
    # Read the files once: each query below runs on this copy of the table (the layout test reads the files).
    connection.execute(f"CREATE TABLE {TABLE} AS SELECT * FROM invocation_logs")
    return connection, records, today


def _team_setup() -> tuple[list[PricedTarget], dict[str, tuple[ClaudeModel, str]], dict[str, str]]:
    target = profile_target(TEAM_PROFILE, TEAM_MODEL, "eu", PRICES)
    assert target is not None
    return [target, *TARGETS], {TEAM_PROFILE: (TEAM_MODEL, "eu")}, {TEAM_PROFILE: "data-science"}


@pytest.mark.parametrize("with_teams", [False, True], ids=["usage-stack", "teams-stack"])
def test_the_sql_prices_every_record_as_the_price_data_does(logs: Any, with_teams: bool) -> None:
    connection, records, today = logs
    targets, profiles, team_profiles = _team_setup() if with_teams else (list(TARGETS), {}, {})
    queries = cost_queries(targets, list(team_profiles.items()))
    for query in queries:
        rows = connection.execute(query.sql_for(TABLE)).fetchall()
        want = sorted(expected_rows(query.name, records, today, profiles, team_profiles), key=_sort_key(query.name))
        assert len(rows) == len(want), query.name
        for got, expected in zip(rows, want, strict=True):
            assert got[:-2] == expected[:-2], query.name
            assert got[-1] == expected[-1], (query.name, got)  # unpriced calls
            assert (got[-2] is None) == (expected[-2] is None), (query.name, got)
            if got[-2] is not None:
                assert Decimal(str(got[-2])) == pytest.approx(expected[-2], abs=Decimal("0.000001")), got
        assert any(row[-2] for row in rows), "the synthetic logs must cost something"
        assert any(row[-1] for row in rows), "and hold unpriced calls"


def test_team_profile_calls_are_priced_only_where_the_profile_is_known(logs: Any) -> None:
    connection, _, _ = logs
    usage = {r[3]: r for r in connection.execute(cost_queries(TARGETS)[0].sql_for(TABLE)).fetchall()}
    targets, _, team_profiles = _team_setup()
    teams = connection.execute(cost_queries(targets, list(team_profiles.items()))[0].sql_for(TABLE)).fetchall()
    assert usage and all(r[-2] is None for k, r in usage.items() if k == TEAM_PROFILE_ARN)
    assert any(r[3] == TEAM_PROFILE_ARN and r[2] == "data-science" and r[-2] for r in teams)


def evaluate_insights(expression: str, entry: Mapping[str, Any]) -> float:
    """Evaluate an Insights cost expression (strcontains, arithmetic, the prelude's aliases) on one record."""
    values = {
        "i": entry["input"].get("inputTokenCount") or 0,
        "w": entry["input"].get("cacheWriteInputTokenCount") or 0,
        "r": entry["input"].get("cacheReadInputTokenCount") or 0,
        "o": entry["output"].get("outputTokenCount") or 0,
        "g": int("global." in entry["modelId"]),
    }
    text = re.sub(r'strcontains\(modelId, "([^"]*)"\)', lambda m: str(int(m.group(1) in entry["modelId"])), expression)
    assert re.fullmatch(r"[\d.+\-*/() iwrog]*", text), f"unexpected term in {text[:200]}"
    # Only digits, operators and the five names are left (checked above): safe to evaluate.
    return float(eval(text, {"__builtins__": {}}, values))


def _insights_parts(query_text: str) -> tuple[str, str]:
    (line,) = [line for line in query_text.splitlines() if line.startswith("| fields ")]
    cost, unpriced = line.removeprefix("| fields ").split(" as usd, ")
    return cost, unpriced.removesuffix(" as unpriced")


def test_the_insights_query_prices_every_record_as_the_price_data_does(logs: Any) -> None:
    _, records, _ = logs
    query = cost_queries(TARGETS)[0]
    assert query.insights is not None
    cost, unpriced = _insights_parts(query.insights)
    assert (cost, unpriced) == insights_cost(TARGETS)
    for entry in records:
        want = expected_cost(entry, {})
        assert evaluate_insights(unpriced, entry) == (1 if want is None else 0), entry["modelId"]
        assert evaluate_insights(cost, entry) == pytest.approx(float(want or 0), rel=1e-9, abs=1e-12), entry["modelId"]


def test_an_id_inside_another_counts_once() -> None:
    """Claude Fable 5's ID is part of Fable 5.1's, and each record is priced as its own model."""
    rates = {n: Rates(Decimal(n), Decimal(n), Decimal(n), Decimal(n)) for n in (1, 2, 3)}
    targets = [
        PricedTarget("anthropic.claude-fable-5", rates[1], rates[1]),
        PricedTarget("anthropic.claude-fable-5-1", rates[2], rates[2]),
        PricedTarget("anthropic.claude-fable-5-1-x", rates[3], rates[3]),
    ]
    cost, unpriced = insights_cost(targets)
    for suffix, rate in (("", 1), ("-1", 2), ("-1-x", 3)):
        entry = {
            "modelId": f"global.anthropic.claude-fable-5{suffix}",
            "input": {"inputTokenCount": 1_000_000},
            "output": {"outputTokenCount": 0},
        }
        assert evaluate_insights(cost, entry) == rate
        assert evaluate_insights(unpriced, entry) == 0
    assert "fable-5-1-x" in sql_cost(targets)


def test_the_checks_can_fail(logs: Any) -> None:
    """A wrong rate or a dropped premium changes the money the SQL and Insights give."""
    connection, records, today = logs
    sonnet = PRICES.price("claude-sonnet-4-6")
    assert sonnet is not None
    cheap = PRICES.with_overrides({"claude-sonnet-4-6": sonnet.rates.scaled(Decimal("0.5"))})
    wrong = cost_queries(model_targets(CATALOG.models, cheap))[0]
    rows = connection.execute(wrong.sql_for(TABLE)).fetchall()
    want = expected_rows(wrong.name, records, today, {}, {})
    assert sorted(r[-2] or 0 for r in rows) != sorted(r[-2] or 0 for r in want)
    flat = [PricedTarget(t.suffix, t.global_rates, t.global_rates) for t in TARGETS]
    cost, _ = insights_cost(flat)
    regional = [
        r for r in records if "eu.anthropic.claude-sonnet-4-6" in r["modelId"] and r["output"]["outputTokenCount"]
    ]
    assert regional
    assert evaluate_insights(cost, regional[0]) != pytest.approx(float(expected_cost(regional[0], {}) or 0))


def test_the_sql_layout_is_unchanged_by_the_table_root(tmp_path: Path) -> None:
    """A record in a folder the window excludes costs nothing in the 30-day query (the partition filter applies)."""
    old = datetime.combine(_today() - timedelta(days=60), datetime.min.time())
    root = write_logs(tmp_path, [record(when=old, request_id="old", model_id="global.anthropic.claude-sonnet-4-6")])
    assert connect(root).execute(cost_queries(TARGETS)[0].sql_for()).fetchall() == []


def test_a_teams_insights_query_prices_its_profiles_the_usage_query_does_not(logs: Any) -> None:
    _, records, _ = logs
    targets, profiles, team_profiles = _team_setup()
    usage = cost_queries(targets, list(team_profiles.items()))[0]
    team = team_cost_query(targets, "data-science", [TEAM_PROFILE])
    assert usage.insights is not None and team.insights is not None
    assert f'modelId like "{TEAM_PROFILE}"' in team.insights
    through_profile = [r for r in records if r["modelId"] == TEAM_PROFILE_ARN and r["output"]["outputTokenCount"]]
    assert through_profile
    _, usage_unpriced = _insights_parts(usage.insights)
    team_cost, team_unpriced = _insights_parts(team.insights)
    for entry in through_profile:
        assert evaluate_insights(usage_unpriced, entry) == 1
        assert evaluate_insights(team_unpriced, entry) == 0
        want = float(expected_cost(entry, profiles) or 0)
        assert evaluate_insights(team_cost, entry) == pytest.approx(want, rel=1e-9)

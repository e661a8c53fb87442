"""The saved Logs Insights queries read only fields a real invocation-log record has.

The fields a query reads are taken from its text (every identifier that is not a command, a function, an alias it
defines, a string or an @-field), so the declared field list cannot hide one; each must be a path of a record
written from AWS's documented schema (tests/support/invocation_log.py), not from the queries.
"""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from core.catalog.lookup import Catalog
from core.catalog.prices import PriceTable
from core.usage.costs import model_targets
from core.usage.queries import INVOCATION_LOG, INVOKER_LOG, QUERIES, UsageQuery, by_name, cost_queries
from tests.support.invocation_log import field_paths, sample_records

# The saved queries of the usage stack: the token queries and the estimated-cost queries over the catalog's prices.
ALL = QUERIES + cost_queries(model_targets(Catalog().models, PriceTable()))
INSIGHTS_WORDS = {"fields", "filter", "stats", "sort", "limit", "by", "as", "and", "or", "not", "desc", "asc", "like"}
_STRING = re.compile(r'"[^"]*"')
_IDENTIFIER = re.compile(r"(?<![\w.@])([A-Za-z_][\w.]*)(\s*\()?")


def fields_read(text: str) -> set[str]:
    """Record fields an Insights query reads, from its text."""
    without_strings = _STRING.sub('""', text)
    aliases = set(re.findall(r"\bas\s+(\w+)", without_strings))
    found = set()
    for name, call in _IDENTIFIER.findall(without_strings):
        if call or name in INSIGHTS_WORDS or name in aliases or name.isdigit():
            continue
        found.add(name)
    return found


def test_the_reader_finds_fields_and_skips_the_rest() -> None:
    """The check can fail: a field hidden in a filter is found; aliases, functions, strings are not fields."""
    text = 'fields a.b as x, c\n| filter isnotempty(d.e) and f = "g.h"\n| stats sum(x) as total by c\n| sort total desc'
    assert fields_read(text) == {"a.b", "c", "d.e", "f"}


def test_every_invocation_log_field_is_in_a_record_of_the_documented_shape() -> None:
    paths = set().union(*(field_paths(r) for r in sample_records()))
    for query in ALL:
        if query.insights is None or query.log != INVOCATION_LOG:
            continue
        read = fields_read(query.insights)
        assert read == set(query.fields), query.name
        assert read <= paths, f"{query.name} reads fields no record has: {sorted(read - paths)}"


def test_a_query_reading_a_field_records_do_not_have_would_be_caught() -> None:
    paths = set().union(*(field_paths(r) for r in sample_records()))
    wrong = "fields identity.principalArn, input.tokenCount\n| stats count(*) by identity.principalArn"
    assert not fields_read(wrong) <= paths


@pytest.mark.parametrize("query", [q for q in ALL if q.insights], ids=lambda q: q.name)
def test_every_insights_query_is_a_pipeline_of_known_commands(query: UsageQuery) -> None:
    assert query.insights is not None
    commands = [line.lstrip("| ").split(" ", 1)[0] for line in query.insights.splitlines()]
    assert commands[0] == "fields"
    assert set(commands) <= {"fields", "filter", "stats", "sort", "limit"}
    assert len(query.insights) <= 10_000  # AWS::Logs::QueryDefinition QueryString maximum
    if query.log == INVOCATION_LOG:
        assert 'filter schemaType = "ModelInvocationLog"' in query.insights


def test_names_are_unique_and_the_invoker_log_query_is_separate() -> None:
    assert len({q.name for q in QUERIES}) == len(QUERIES)
    assert by_name("slowest-invoker-calls").log == INVOKER_LOG
    assert {q.name for q in QUERIES if q.sql} == {
        "tokens-by-caller",
        "tokens-by-model",
        "tokens-by-operation",
        "errors",
        "largest-calls",
        "calls-by-invoker-metadata",
        "daily-tokens",
    }


def test_the_cost_query_fits_a_query_definition_with_every_priced_model_and_more() -> None:
    """AWS::Logs::QueryDefinition takes 10,000 characters: the whole catalog, and as many models again, fit."""
    catalog = Catalog()
    twice = tuple(replace(m, alias=f"{m.alias}-copy", model_id=f"{m.model_id}-copy") for m in catalog.models)
    table = PriceTable()
    originals = {m.alias: table.price(m.alias.removesuffix("-copy")) for m in twice}
    prices = table.with_overrides({alias: price.rates for alias, price in originals.items() if price is not None})
    (query, _) = cost_queries(model_targets(catalog.models + twice, prices))
    assert query.insights is not None
    assert 2 * len(cost_queries(model_targets(catalog.models, PriceTable()))[0].insights or "") < 10_000
    assert len(query.insights) <= 10_000

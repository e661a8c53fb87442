"""The price table: every model of the catalog priced or unpriced with a reason; rates as their source prints them.

The expected rates are written here from Anthropic's pages (read 2026-12-07), not from core/catalog/prices.py:
https://platform.claude.com/docs/en/about-claude/pricing ("Model pricing": base input, 5m cache writes, cache hits,
output, USD per MTok) and the model pages https://platform.claude.com/docs/en/models/<model>/overview.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.catalog.lookup import Catalog
from core.catalog.prices import PRICES, UNPRICED, PriceTable, Rates, unpriced_reason

# (input, 5m cache write, cache read, output) as the pages print them.
SOURCE_ROWS = {
    "claude-fable-5-1": ("10", "12.50", "0.25", "50"),
    "claude-fable-5": ("10", "12.50", "1", "50"),
    "claude-opus-5": ("5", "6.25", "0.50", "25"),
    "claude-sonnet-5-5": ("2", "2.50", "0.20", "10"),
    "claude-opus-4-8": ("5", "6.25", "0.50", "25"),
    "claude-opus-4-5": ("5", "6.25", "0.50", "25"),
    "claude-sonnet-4-6": ("3", "3.75", "0.30", "15"),
    "claude-haiku-4-5": ("1", "1.25", "0.10", "5"),
    "claude-opus-4-1": ("15", "18.75", "1.50", "75"),
    "claude-3-5-haiku": ("0.80", "1", "0.08", "4"),
    "claude-3-haiku": ("0.25", "0.30", "0.03", "1.25"),
}
# Anthropic's Bedrock page: "This applies to Claude Sonnet 4.5 and future models only. Older models (Claude Sonnet 4,
# Opus 4, and earlier) maintain their existing pricing structures." Released before Sonnet 4.5 (2025-09-29):
RELEASED_BEFORE_SONNET_45 = {
    "claude-opus-4-1",
    "claude-opus-4",
    "claude-sonnet-4",
    "claude-3-7-sonnet",
    "claude-3-5-haiku",
    "claude-3-opus",
    "claude-3-haiku",
}
# Models of the 5.x generation the catalog is gaining; their prices may precede their catalog entries.
AWAITING_THE_CATALOG = {
    "claude-fable-5",
    "claude-fable-5-1",
    "claude-fable-5-2",
    "claude-sonnet-5",
    "claude-sonnet-5-5",
    "claude-opus-5",
    "claude-opus-5-5",
    "claude-haiku-5-5",
    "claude-mythos-preview",
    "claude-mythos-5",
    "claude-mythos-5-1",
}


def test_every_catalog_model_is_priced_or_unpriced_with_a_reason() -> None:
    priced = {p.alias for p in PRICES}
    unpriced = {u.alias for u in UNPRICED}
    assert not priced & unpriced
    for model in Catalog().models:
        assert model.alias in priced | unpriced, f"{model.alias}: add a price or an Unpriced reason"
    assert all(len(u.reason) > 20 for u in UNPRICED)


def test_no_price_names_a_model_the_catalog_does_not_know_or_expect() -> None:
    aliases = {m.alias for m in Catalog().models}
    for alias in [p.alias for p in PRICES] + [u.alias for u in UNPRICED]:
        assert alias in aliases | AWAITING_THE_CATALOG, alias
    assert len({p.alias for p in PRICES}) == len(PRICES)


@pytest.mark.parametrize("alias", sorted(SOURCE_ROWS))
def test_rates_are_the_source_rows(alias: str) -> None:
    price = PriceTable().price(alias)
    assert price is not None
    assert price.rates == Rates(*(Decimal(v) for v in SOURCE_ROWS[alias]))
    assert price.source.startswith("https://platform.claude.com/docs/en/")


def test_the_regional_premium_applies_from_sonnet_45_on() -> None:
    for price in PRICES:
        regional = price.rates_in("eu")
        assert price.rates_in("global") == price.rates
        if price.alias in RELEASED_BEFORE_SONNET_45:
            assert regional == price.rates, price.alias
        else:
            assert regional.input == price.rates.input * Decimal("1.1"), price.alias
            assert regional.output == price.rates.output * Decimal("1.1"), price.alias
            assert regional.cache_read == price.rates.cache_read * Decimal("1.1"), price.alias


def test_a_call_costs_tokens_times_rates_per_million() -> None:
    rates = Rates(Decimal(3), Decimal("3.75"), Decimal("0.30"), Decimal(15))
    # 1,000 input, 2,000 cache writes, 10,000 cache reads, 500 output on Sonnet 4.6 at list price:
    # 0.003 + 0.0075 + 0.003 + 0.0075 = 0.021 USD.
    assert rates.cost(1_000, 2_000, 10_000, 500) == Decimal("0.021")


def test_usage_prices_override_add_and_unblock() -> None:
    mine = Rates(Decimal(4), Decimal(5), Decimal("0.4"), Decimal(20))
    table = PriceTable().with_overrides({"claude-opus-5-5": mine, "claude-sonnet-4-6": mine, "my-model": mine})
    opus = table.price("claude-opus-5-5")
    assert (
        opus is not None
        and opus.rates == mine
        and opus.regional_premium_percent == 10
        and opus.source == "usage_prices"
    )
    sonnet = table.price("claude-sonnet-4-6")
    assert sonnet is not None and sonnet.rates == mine
    mine_unknown = table.price("my-model")
    assert mine_unknown is not None and mine_unknown.regional_premium_percent == 10  # as every model since Sonnet 4.5
    assert "claude-opus-5-5" not in {u.alias for u in table.unpriced}
    assert PriceTable().price("claude-opus-5-5") is None  # the table itself is unchanged


def test_unpriced_models_say_why() -> None:
    reasons = unpriced_reason(PriceTable(), ["claude-sonnet-4-6", "claude-opus-5-5", "someone-elses-model"])
    assert set(reasons) == {"claude-opus-5-5", "someone-elses-model"}
    assert "cache rates" in reasons["claude-opus-5-5"]
    assert "usage_prices" in reasons["someone-elses-model"]

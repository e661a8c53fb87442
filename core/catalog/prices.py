"""What a Claude call costs, as data like the catalog: USD per million tokens per model, with its source and date.

Bedrock's own price page (https://aws.amazon.com/bedrock/pricing/) could not be read when this table was written,
so the rates are Anthropic's list prices (https://platform.claude.com/docs/en/about-claude/pricing and the model
pages `https://platform.claude.com/docs/en/models/<model>/overview`), which third parties report to be Bedrock's
global-endpoint rates: every amount the usage views show is an estimate, and `usage_prices` overrides or adds a
model's rates. Anthropic's Bedrock page states the scope premium: "Regional endpoints include a 10% pricing
premium over global endpoints. This applies to Claude Sonnet 4.5 and future models only. Older models (Claude
Sonnet 4, Opus 4, and earlier) maintain their existing pricing structures"
(https://platform.claude.com/docs/en/build-with-claude/claude-on-amazon-bedrock); a geographic (`us.`, `eu.`...)
profile and an in-Region model ID are regional endpoints, the global profile is not.

A cache write is priced at the 5-minute rate: invocation logs count cache-write tokens without their lifetime, and a
1-hour write costs more (2x input instead of 1.25x), so the estimate is low for callers that write 1-hour caches.
A model without rates on a page we read is `UNPRICED` with the reason; a call to it counts as unpriced, never as $0.
No rate here depends on prompt length: Anthropic's long-context rates (above 200K input tokens) were those of the
1M-token context beta of Sonnet 4 and 4.5, which ended on 2026-04-30 (core/catalog/claude_models.py), and Haiku
5.5's prompt-length tiers were not read on an Anthropic page (it is unpriced).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from core.catalog.claude_models import BUILTIN_MODELS, PREMIUM
from core.catalog.scopes import GLOBAL

CHECKED = date(2026, 12, 7)
PRICING_PAGE = "https://platform.claude.com/docs/en/about-claude/pricing"
BEDROCK_PAGE = "https://platform.claude.com/docs/en/build-with-claude/claude-on-amazon-bedrock"
# Regional (geographic or in-Region) endpoints over global ones: each model's percentage is the catalog's
# (`ClaudeModel.regional_premium_percent`, core/catalog/pricing.py); a model the catalog does not know (an
# `extra_models` entry priced by `usage_prices`) takes the premium every model since Sonnet 4.5 carries.
UNKNOWN_MODEL_PREMIUM_PERCENT = PREMIUM
MILLION = Decimal(1_000_000)
# What `Price.rates_in` takes for any endpoint that is not the global profile: a geography, or the model in-Region.
REGIONAL = "regional"


def model_page(slug: str) -> str:
    return f"https://platform.claude.com/docs/en/models/{slug}/overview"


@dataclass(frozen=True)
class Rates:
    """USD per million tokens: uncached input, cache write (5 minutes), cache read, output."""

    input: Decimal
    cache_write: Decimal
    cache_read: Decimal
    output: Decimal

    def scaled(self, factor: Decimal) -> Rates:
        return Rates(self.input * factor, self.cache_write * factor, self.cache_read * factor, self.output * factor)

    def cost(self, input_tokens: int, cache_write: int, cache_read: int, output_tokens: int) -> Decimal:
        """USD of one call's tokens at these rates."""
        total = (
            input_tokens * self.input
            + cache_write * self.cache_write
            + cache_read * self.cache_read
            + output_tokens * self.output
        )
        return total / MILLION


@dataclass(frozen=True)
class Price:
    """One model's rates on the global endpoint, and the percentage regional endpoints cost more."""

    alias: str
    rates: Rates
    regional_premium_percent: int
    source: str
    checked_on: date = CHECKED

    def rates_in(self, endpoint_scope: str) -> Rates:
        """The rates of a call through `endpoint_scope` (`global`, a geography, or `REGIONAL` for any of them)."""
        if endpoint_scope == GLOBAL or not self.regional_premium_percent:
            return self.rates
        return self.rates.scaled(1 + Decimal(self.regional_premium_percent) / 100)


@dataclass(frozen=True)
class Unpriced:
    """A model of the catalog (or one it will hold) whose rates we could not read: calls to it stay unpriced."""

    alias: str
    reason: str


def premium_percent(alias: str) -> int:
    """The catalog's regional premium of the model `alias`; `UNKNOWN_MODEL_PREMIUM_PERCENT` for one it lacks."""
    model = next((m for m in BUILTIN_MODELS if m.alias == alias), None)
    return UNKNOWN_MODEL_PREMIUM_PERCENT if model is None else model.regional_premium_percent


def _price(alias: str, rates: tuple[str, str, str, str], source: str) -> Price:
    return Price(alias, Rates(*(Decimal(r) for r in rates)), premium_percent(alias), source)


# Base input | 5m cache write | cache read | output, as the source prints them.
_OPUS_45 = ("5", "6.25", "0.50", "25")
_OPUS_4 = ("15", "18.75", "1.50", "75")
_SONNET_4 = ("3", "3.75", "0.30", "15")

PRICES: tuple[Price, ...] = (
    _price("claude-fable-5-1", ("10", "12.50", "0.25", "50"), PRICING_PAGE),
    _price("claude-mythos-5-1", ("10", "12.50", "0.25", "50"), PRICING_PAGE),
    _price("claude-fable-5", ("10", "12.50", "1", "50"), PRICING_PAGE),
    _price("claude-mythos-5", ("10", "12.50", "1", "50"), PRICING_PAGE),
    _price("claude-opus-5", _OPUS_45, model_page("opus-5")),
    _price("claude-sonnet-5-5", ("2", "2.50", "0.20", "10"), model_page("sonnet-5-5")),
    _price("claude-sonnet-5", ("2", "2.50", "0.20", "10"), model_page("sonnet-5")),
    _price("claude-opus-4-8", _OPUS_45, PRICING_PAGE),
    _price("claude-opus-4-7", _OPUS_45, PRICING_PAGE),
    _price("claude-opus-4-6", _OPUS_45, PRICING_PAGE),
    _price("claude-opus-4-5", _OPUS_45, PRICING_PAGE),
    _price("claude-sonnet-4-6", _SONNET_4, PRICING_PAGE),
    _price("claude-sonnet-4-5", _SONNET_4, PRICING_PAGE),
    _price("claude-haiku-4-5", ("1", "1.25", "0.10", "5"), PRICING_PAGE),
    _price("claude-opus-4-1", _OPUS_4, PRICING_PAGE),
    _price("claude-opus-4", _OPUS_4, PRICING_PAGE),
    _price("claude-sonnet-4", _SONNET_4, PRICING_PAGE),
    _price("claude-3-7-sonnet", _SONNET_4, PRICING_PAGE),
    _price("claude-3-5-haiku", ("0.80", "1", "0.08", "4"), PRICING_PAGE),
    _price("claude-3-opus", _OPUS_4, PRICING_PAGE),
    _price("claude-3-haiku", ("0.25", "0.30", "0.03", "1.25"), PRICING_PAGE),
)

UNPRICED: tuple[Unpriced, ...] = (
    Unpriced("claude-opus-5-5", "Anthropic's pages we read give input and output ($4 / $20), not its cache rates"),
    Unpriced(
        "claude-haiku-5-5",
        "Anthropic's pages we read give 'from $0.10 / $0.50': its rates depend on prompt length, whose tiers we did "
        "not read on an Anthropic page",
    ),
    Unpriced("claude-fable-5-2", "Anthropic's pages we read give input and output ($8 / $40), not its cache rates"),
    Unpriced("claude-mythos-preview", "no price on a page we read (invitation only)"),
)


@dataclass(frozen=True)
class PriceTable:
    """The prices the usage views apply: `PRICES` with `usage_prices` laid over them, and what stays unpriced."""

    prices: tuple[Price, ...] = PRICES
    unpriced: tuple[Unpriced, ...] = UNPRICED

    def price(self, alias: str) -> Price | None:
        return next((p for p in self.prices if p.alias == alias), None)

    def with_overrides(self, overrides: Mapping[str, Rates]) -> PriceTable:
        """`usage_prices`: each named model gets these global rates (the premium rule stays the table's; a model the
        table does not know takes the premium, as every model since Sonnet 4.5 does)."""
        prices = [
            replace(p, rates=overrides[p.alias], source="usage_prices", checked_on=CHECKED)
            if p.alias in overrides
            else p
            for p in self.prices
        ]
        known = {p.alias for p in self.prices}
        prices += [_configured(alias, rates) for alias, rates in overrides.items() if alias not in known]
        unpriced = tuple(u for u in self.unpriced if u.alias not in overrides)
        return PriceTable(tuple(prices), unpriced)


def _configured(alias: str, rates: Rates) -> Price:
    return Price(alias, rates, premium_percent(alias), "usage_prices")


def unpriced_reason(table: PriceTable, aliases: Iterable[str]) -> dict[str, str]:
    """For each alias without a price: why (the table's reason, or that no price is known for it)."""
    reasons = {u.alias: u.reason for u in table.unpriced}
    return {
        alias: reasons.get(alias, "no price in core/catalog/prices.py; add one with usage_prices")
        for alias in aliases
        if table.price(alias) is None
    }

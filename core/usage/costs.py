"""The estimated cost of one invocation-log record, written from the price table for both query languages.

One owner: the Athena SQL (a CASE per priced target) and the Logs Insights expression (Logs Insights has no CASE,
so a sum of `strcontains(...)` indicators, each 1 or 0, times rates) are both generated here from the same targets,
and a test evaluates both on the same records against money computed independently in Python.

A target is recognized by a text its record's `modelId` ends with: a catalog model's Bedrock model ID (so the model
ID itself, a system profile ID such as `eu.anthropic...` and either's ARN all match), or an application inference
profile's ID (a team's profile, whose model and scope the deployment knows). A record whose `modelId` contains
`global.` was sent to the global profile; any other was sent to a regional endpoint (a geographic profile or the
model in its Region) and pays the model's regional premium. A record matching no target is unpriced: its cost is
NULL in SQL, and Logs Insights counts it in `unpriced_calls`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from core.catalog.models import ClaudeModel
from core.catalog.prices import MILLION, REGIONAL, PriceTable, Rates
from core.catalog.scopes import GLOBAL

GLOBAL_MARKER = "global."
# The record's token counts, in Rates' order: the Glue table's columns, what the SQL names them once null is 0, and
# the Logs Insights fields.
SQL_COLUMNS = (
    '"input".inputtokencount',
    '"input".cachewriteinputtokencount',
    '"input".cachereadinputtokencount',
    '"output".outputtokencount',
)
SQL_TOKENS = ("input_tokens", "cache_write_tokens", "cache_read_tokens", "output_tokens")
INSIGHTS_TOKENS = (
    "input.inputTokenCount",
    "input.cacheWriteInputTokenCount",
    "input.cacheReadInputTokenCount",
    "output.outputTokenCount",
)
# The aliases an Insights query gives the token counts (null as 0) and the global indicator, before pricing.
INSIGHTS_ALIASES = ("i", "w", "r", "o")
GLOBAL_ALIAS = "g"


@dataclass(frozen=True)
class PricedTarget:
    """What a record's `modelId` ends with, and the rates of a call through the global and a regional endpoint."""

    suffix: str
    global_rates: Rates
    regional_rates: Rates
    # False for a model without a price: it is still recognized, so that no shorter ID inside its own (Claude
    # Opus 5's inside Opus 5.5's) prices its calls.
    priced: bool = True


NO_RATES = Rates(Decimal(0), Decimal(0), Decimal(0), Decimal(0))


def model_targets(models: Iterable[ClaudeModel], prices: PriceTable) -> tuple[PricedTarget, ...]:
    """A target per model, recognized by its Bedrock model ID; a model without a price is an unpriced target."""
    targets = []
    for model in models:
        price = prices.price(model.alias)
        if price is None:
            targets.append(PricedTarget(model.model_id, NO_RATES, NO_RATES, priced=False))
        else:
            targets.append(PricedTarget(model.model_id, price.rates_in(GLOBAL), price.rates_in(REGIONAL)))
    return tuple(targets)


def profile_target(profile_id: str, model: ClaudeModel, endpoint_scope: str, prices: PriceTable) -> PricedTarget | None:
    """An application inference profile copied from the `endpoint_scope` profile of `model`: its calls cost what
    that scope costs, whatever the record says."""
    price = prices.price(model.alias)
    if price is None:
        return None
    rates = price.rates_in(endpoint_scope)
    return PricedTarget(profile_id, rates, rates)


def number(value: Decimal) -> str:
    """A decimal as a literal both languages read: no exponent, no trailing zeros."""
    text = format(value.normalize(), "f")
    return text if text not in ("-0", "") else "0"


def _linear(rates: Rates, tokens: Sequence[str], scale: Decimal = Decimal(1), joiner: str = " + ") -> str:
    values = (rates.input, rates.cache_write, rates.cache_read, rates.output)
    terms = [f"{number(v / scale)}*{t}" for v, t in zip(values, tokens, strict=True) if v != 0]
    return joiner.join(terms) if terms else "0"


def sql_cost(targets: Sequence[PricedTarget], model_id: str = "model_id") -> str:
    """SQL over the columns `SQL_TOKENS` and `model_id`: the estimated USD of a record, NULL when no target matches.

    Rates are written per token, so the arithmetic stays in exact decimals: Athena (Trino) gives a decimal quotient
    the larger scale of its operands, so dividing a sum by a million would round most calls to the nearest $0.001.
    """
    arms = []
    for target in (t for t in targets if t.priced):  # LIKE matches the end: an unpriced ID needs no arm
        global_cost = _linear(target.global_rates, SQL_TOKENS, MILLION)
        regional_cost = _linear(target.regional_rates, SQL_TOKENS, MILLION)
        cost = (
            global_cost
            if global_cost == regional_cost
            else f"CASE WHEN {model_id} LIKE '%{GLOBAL_MARKER}%' THEN {global_cost} ELSE {regional_cost} END"
        )
        arms.append(f"  WHEN {model_id} LIKE '%{target.suffix}' THEN {cost}")
    if not arms:
        return "CAST(NULL AS decimal(38, 9))"
    return "CASE\n" + "\n".join(arms) + "\nEND"


def _weights(targets: Sequence[PricedTarget]) -> list[dict[int, int]]:
    """For each target m, its indicator as a sum of `contains(suffix_n)` indicators with integer coefficients.

    A `modelId` ends with one target's text t and contains every target text that is a part of t (Claude Fable 5's
    ID is part of Fable 5.1's), so containment alone would match several. Taking, from longest to shortest, each
    target's `contains` minus the indicators of the longer targets containing its text leaves exactly t at 1."""
    order = sorted(range(len(targets)), key=lambda n: -len(targets[n].suffix))
    weights: dict[int, dict[int, int]] = {}
    for m in order:
        weight = {m: 1}
        for k, other in weights.items():
            if targets[m].suffix in targets[k].suffix and k != m:
                for n, coefficient in other.items():
                    weight[n] = weight.get(n, 0) - coefficient
        weights[m] = weight
    return [weights[m] for m in range(len(targets))]


def _combined(targets: Sequence[PricedTarget]) -> dict[int, tuple[Rates, Rates, int]]:
    """Per `contains` indicator n: the global rates, the regional extra and the match count it carries."""
    zero = NO_RATES
    combined: dict[int, tuple[Rates, Rates, int]] = {}
    for m, weight in enumerate(_weights(targets)):
        target = targets[m]
        extra = _difference(target.regional_rates, target.global_rates)
        for n, coefficient in weight.items():
            base, more, matches = combined.get(n, (zero, zero, 0))
            factor = Decimal(coefficient)
            combined[n] = (
                _sum(base, target.global_rates.scaled(factor)),
                _sum(more, extra.scaled(factor)),
                matches + coefficient if target.priced else matches,
            )
    return combined


def _difference(a: Rates, b: Rates) -> Rates:
    return Rates(a.input - b.input, a.cache_write - b.cache_write, a.cache_read - b.cache_read, a.output - b.output)


def _sum(a: Rates, b: Rates) -> Rates:
    return Rates(a.input + b.input, a.cache_write + b.cache_write, a.cache_read + b.cache_read, a.output + b.output)


def _signed(coefficient: int, term: str) -> str:
    return term if coefficient == 1 else f"{coefficient}*{term}"


def insights_cost(targets: Sequence[PricedTarget]) -> tuple[str, str]:
    """Logs Insights: (the estimated USD of a record, 1 when no target matches it else 0), over the aliases
    `INSIGHTS_ALIASES` and `GLOBAL_ALIAS` that `insights_prelude` defines."""
    cost_terms, match_terms = [], []
    for n, (base, extra, matches) in _combined(targets).items():
        contains = f'strcontains(modelId, "{targets[n].suffix}")'
        inner = _linear(base, INSIGHTS_ALIASES, joiner="+")
        extra_text = _linear(extra, INSIGHTS_ALIASES, joiner="+")
        if extra_text != "0":
            inner = f"{inner}+(1-{GLOBAL_ALIAS})*({extra_text})"
        if inner != "0":
            cost_terms.append(f"{contains}*({inner})")
        if matches:
            match_terms.append(_signed(matches, contains))
    # Compact (no spaces): AWS::Logs::QueryDefinition takes at most 10,000 characters.
    cost = f"({' + '.join(cost_terms)})/1000000" if cost_terms else "0"
    unpriced = f"1-({' + '.join(match_terms)})" if match_terms else "1"
    return cost, unpriced


def insights_prelude() -> str:
    """The `fields` items that name the token counts (null as 0) and the global indicator for `insights_cost`."""
    tokens = [
        f"coalesce({field}, 0) as {alias}" for field, alias in zip(INSIGHTS_TOKENS, INSIGHTS_ALIASES, strict=True)
    ]
    return ", ".join([*tokens, f'strcontains(modelId, "{GLOBAL_MARKER}") as {GLOBAL_ALIAS}'])

"""Configuration section for money and capacity: `budget_monthly_usd`, `usage_prices`, `quota_*`, `cost_export`.

A team's own budget is a key of its entry in `teams` (core/config/teams.py). Budget notifications go to
`alarm_emails` (AWS::Budgets::Budget: "each notification can have one SNS subscriber and up to 10 email
subscribers") and to `alarm_topic_arn`, so a budget needs one of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from core.catalog.lookup import Catalog, CatalogError
from core.catalog.models import ClaudeModel
from core.catalog.prices import PriceTable, Rates
from core.catalog.scopes import partition_of
from core.config.alarms import AlarmsConfig
from core.config.values import ConfigError, as_bool, as_object, fail

DEFAULTS: dict[str, Any] = {
    "budget_monthly_usd": None,
    "usage_prices": {},
    "quota_tokens_per_minute": {},
    "quota_alarm_fraction": "0.8",
    "cost_export": False,
}
RATE_KEYS = ("input", "cache_write", "cache_read", "output")
MAX_BUDGET_EMAILS = 10
# Bedrock's tokens-per-minute quotas run to millions; a value beyond this is a typo.
MAX_QUOTA = 10**10


@dataclass(frozen=True)
class CostConfig:
    """What spend is estimated at, who may spend how much, and when capacity is close to a quota."""

    # The account's Bedrock spend per calendar month, in USD, that its budget warns about (None: no budget).
    budget_monthly_usd: Decimal | None
    # The prices the usage views apply: the table with `usage_prices` laid over it.
    prices: PriceTable
    # Tokens per minute of a model's quota in every configured Region, by alias; alarms fire at `quota_fraction`.
    quotas: Mapping[str, int] = field(default_factory=dict)
    quota_fraction: Decimal = Decimal("0.8")
    # A CUR 2.0 data export with IAM principal data, its Glue table and queries (stack `ClaudeCostExport`).
    export: bool = False


def amount(key: str, value: Any) -> Decimal | None:
    """A positive amount of US dollars (cents at most), or None when unset."""
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip()) if not isinstance(value, bool) else None
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number <= 0 or number != number.quantize(Decimal("0.01")):
        raise fail(key, value, "an amount of US dollars above 0 with at most two decimals, e.g. 2500 or 99.50")
    if number > Decimal(10**9):
        raise fail(key, value, "an amount of US dollars up to 1000000000")
    return number


def _rate(key: str, value: Any) -> Decimal:
    try:
        number = Decimal(str(value)) if isinstance(value, (int, float, str)) and not isinstance(value, bool) else None
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or number < 0:
        raise fail(key, value, "a price in USD per million tokens, 0 or more")
    return number


def _prices(value: Any, catalog: Catalog) -> PriceTable:
    key = "usage_prices"
    example = '{"<model alias>": {"input": 3, "cache_write": 3.75, "cache_read": 0.3, "output": 15}}'
    value = as_object(key, value, example)
    overrides: dict[str, Rates] = {}
    for name, rates in value.items():
        model = _model(f"{key}", name, catalog)
        if not isinstance(rates, dict) or set(rates) != set(RATE_KEYS):
            raise fail(f"{key}.{name}", rates, f"an object of {', '.join(RATE_KEYS)} in USD per million tokens")
        overrides[model.alias] = Rates(*(_rate(f"{key}.{name}.{k}", rates[k]) for k in RATE_KEYS))
    return PriceTable().with_overrides(overrides)


def _model(key: str, name: Any, catalog: Catalog) -> ClaudeModel:
    try:
        return catalog.get(str(name), key)
    except CatalogError as error:
        raise ConfigError(str(error)) from None


def _quotas(value: Any, callable_models: tuple[ClaudeModel, ...], catalog: Catalog) -> dict[str, int]:
    key = "quota_tokens_per_minute"
    value = as_object(
        key, value, '{"<model alias>": <tokens per minute of its quota>}, e.g. {"claude-haiku-5-5": 2000000}'
    )
    quotas: dict[str, int] = {}
    for name, tokens in value.items():
        model = _model(key, name, catalog)
        if model not in callable_models:
            raise fail(
                key, name, f"a model of models or of a team's models ({', '.join(m.alias for m in callable_models)})"
            )
        if isinstance(tokens, bool) or not isinstance(tokens, int) or not 1 <= tokens <= MAX_QUOTA:
            raise fail(f"{key}.{name}", tokens, f"the quota's tokens per minute, a whole number from 1 to {MAX_QUOTA}")
        quotas[model.alias] = tokens
    return quotas


def _fraction(value: Any) -> Decimal:
    key = "quota_alarm_fraction"
    try:
        number = Decimal(str(value)) if not isinstance(value, bool) else None
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or not Decimal(0) < number <= Decimal(1):
        raise fail(key, value, "a fraction of the quota above 0 and at most 1, e.g. 0.8")
    return number


def check_budget(key: str, alarms: AlarmsConfig, regions: tuple[str, ...]) -> None:
    """A budget notifies `alarm_emails` and `alarm_topic_arn`: refuse one that no one would hear, or more e-mail
    addresses than a budget notification takes; and one outside the partition whose us-east-1 holds AWS Budgets."""
    if partition_of(regions[0]) != "aws":
        raise ConfigError(
            f"{key}: budgets are deployed in us-east-1 (AWS Budgets), outside the partition of regions "
            f"({partition_of(regions[0])}); remove the budget"
        )
    if not alarms.emails and alarms.topic_arn is None:
        raise ConfigError(
            f"{key}: a budget notifies alarm_emails and alarm_topic_arn, and neither is set; set one of them"
        )
    if len(alarms.emails) > MAX_BUDGET_EMAILS:
        raise ConfigError(
            f"{key}: a budget notification takes at most {MAX_BUDGET_EMAILS} e-mail addresses and alarm_emails has "
            f"{len(alarms.emails)}; list at most {MAX_BUDGET_EMAILS}, or send to alarm_topic_arn and subscribe there"
        )


def parse_cost(
    raw: Mapping[str, Any],
    *,
    catalog: Catalog,
    callable_models: tuple[ClaudeModel, ...],
    alarms: AlarmsConfig,
    regions: tuple[str, ...],
) -> CostConfig:
    budget = amount("budget_monthly_usd", raw["budget_monthly_usd"])
    if budget is not None:
        check_budget("budget_monthly_usd", alarms, regions)
    return CostConfig(
        budget_monthly_usd=budget,
        prices=_prices(raw["usage_prices"], catalog),
        quotas=_quotas(raw["quota_tokens_per_minute"], callable_models, catalog),
        quota_fraction=_fraction(raw["quota_alarm_fraction"]),
        export=_export(raw["cost_export"], regions),
    )


def _export(value: Any, regions: tuple[str, ...]) -> bool:
    export = as_bool("cost_export", value)
    if export and partition_of(regions[0]) != "aws":
        raise fail("cost_export", value, f"false outside the aws partition (regions are in {partition_of(regions[0])})")
    return export

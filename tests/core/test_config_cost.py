"""Budgets, prices, quotas and the cost export: typed values, and one line naming key, value and fix per mistake."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from core.catalog.prices import Rates
from tests.core.test_config_teams import refused
from tests.support.project import ALARM_EMAIL, CENTRAL_TOPIC_ARN, config_for

ROLE = "arn:aws:iam::444455556666:role/data-platform"
HEARD = {"alarm_emails": [ALARM_EMAIL]}


def team(name: str = "data", **overrides: Any) -> dict[str, Any]:
    return {"name": name, "principals": [ROLE], "models": ["claude-haiku-4-5"], **overrides}


def test_defaults_configure_no_budget_no_alarm_no_export_and_the_table_prices() -> None:
    cost = config_for().cost
    assert cost.budget_monthly_usd is None and cost.quotas == {} and cost.export is False
    assert cost.quota_fraction == Decimal("0.8")
    assert cost.prices.price("claude-sonnet-4-6") is not None
    assert all(t.monthly_budget_usd is None for t in config_for().teams)


@pytest.mark.parametrize("value", [2500, "2500", "99.50", 0.5])
def test_a_budget_is_an_amount_of_dollars(value: Any) -> None:
    assert config_for(budget_monthly_usd=value, **HEARD).cost.budget_monthly_usd == Decimal(str(value))


@pytest.mark.parametrize("value", [0, -1, "1.234", "lots", True, "NaN", "1e12"])
def test_a_budget_that_is_no_amount_is_refused(value: Any) -> None:
    assert refused(budget_monthly_usd=value, **HEARD).startswith("budget_monthly_usd: ")


def test_a_budget_nobody_hears_is_refused() -> None:
    assert refused(budget_monthly_usd=100) == (
        "budget_monthly_usd: a budget notifies alarm_emails and alarm_topic_arn, and neither is set; set one of them"
    )
    assert config_for(budget_monthly_usd=100, alarm_topic_arn=CENTRAL_TOPIC_ARN, regions=["eu-west-1"]).cost
    emails = [f"ops{n}@example.com" for n in range(11)]
    assert "at most 10 e-mail addresses" in refused(budget_monthly_usd=100, alarm_emails=emails)


def test_a_team_budget_needs_a_tag_only_that_team_has() -> None:
    shared = {"cost-center": "4711"}
    config = config_for(
        teams=[
            team("data", tags={**shared, "team": "data"}, monthly_budget_usd=500, budget_action="deny"),
            team("support", tags=shared),
        ],
        **HEARD,
    )
    data = config.teams[0]
    assert (data.monthly_budget_usd, data.budget_action) == (Decimal(500), "deny")
    assert config.teams[1].budget_action == "notify"
    message = refused(teams=[team("data", tags=shared, monthly_budget_usd=500), team("support", tags=shared)], **HEARD)
    assert message.startswith("teams[data].monthly_budget_usd: '500' is not valid; allowed: a budget of a team with a")
    assert 'e.g. {"team": "data"}' in message
    assert refused(teams=[team(monthly_budget_usd=500)], **HEARD).startswith("teams[data].monthly_budget_usd: ")


def test_a_team_budget_is_heard_and_an_action_needs_a_budget() -> None:
    tags = {"team": "data"}
    assert refused(teams=[team(tags=tags, monthly_budget_usd=10)]).startswith("teams[data].monthly_budget_usd: ")
    assert refused(teams=[team(tags=tags, budget_action="deny")], **HEARD) == (
        "teams[data].budget_action: 'deny' is not valid; allowed: 'notify' without teams[data].monthly_budget_usd "
        "(set a budget)"
    )
    assert refused(teams=[team(tags=tags, monthly_budget_usd=10, budget_action="stop")], **HEARD).startswith(
        "teams[data].budget_action: 'stop' is not valid; allowed: notify, deny"
    )


def test_usage_prices_lay_rates_over_the_table() -> None:
    rates = {"input": 4, "cache_write": "5", "cache_read": 0.4, "output": 20}
    prices = config_for(usage_prices={"anthropic.claude-haiku-4-5-20251001-v1:0": rates}).cost.prices
    haiku = prices.price("claude-haiku-4-5")
    assert haiku is not None and haiku.rates == Rates(Decimal(4), Decimal(5), Decimal("0.4"), Decimal(20))
    assert refused(usage_prices={"claude-unknown": rates}).startswith("usage_prices: unknown model 'claude-unknown'")
    assert refused(usage_prices={"claude-haiku-4-5": {"input": 1}}).startswith("usage_prices.claude-haiku-4-5: ")
    negative = {**rates, "output": -1}
    assert refused(usage_prices={"claude-haiku-4-5": negative}).startswith("usage_prices.claude-haiku-4-5.output: ")


def test_quotas_name_configured_models_in_whole_tokens() -> None:
    cost = config_for(quota_tokens_per_minute={"claude-haiku-5-5": 2_000_000}, quota_alarm_fraction=0.9).cost
    assert (cost.quotas, cost.quota_fraction) == ({"claude-haiku-5-5": 2_000_000}, Decimal("0.9"))
    assert refused(quota_tokens_per_minute={"claude-opus-4-7": 10}).startswith(
        "quota_tokens_per_minute: 'claude-opus-4-7' is not valid; allowed: a model of models or of a team's models"
    )
    teams = [team(models=["claude-opus-4-7"])]
    assert config_for(teams=teams, quota_tokens_per_minute={"claude-opus-4-7": 10}).cost.quotas
    assert refused(quota_tokens_per_minute={"claude-haiku-5-5": 0.5}).startswith(
        "quota_tokens_per_minute.claude-haiku-5-5: "
    )
    for fraction in (0, "1.01", "half"):
        assert refused(quota_alarm_fraction=fraction).startswith("quota_alarm_fraction: ")

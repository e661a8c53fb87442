"""Capacity alarms, as plain data: which `EstimatedTPMQuotaUsage` series to watch in a Region and at what threshold.

Bedrock publishes the metric by `ModelId` (core/usage/metrics.py). A deployment's callers send the scope's profile ID
(`global.anthropic...`, `eu.anthropic...`: the access stack's outputs) and its teams their application profiles;
whether Bedrock reports a profile call under the profile's ID is not stated on AWS's pages (listings of delivered
metrics show system profile IDs), so an alarm sums the profile's series and those of the teams' application profiles
of the same model in the Region, each missing series counted as 0. The quota is a number the configuration states
(`quota_tokens_per_minute`, the model's tokens-per-minute quota in Service Quotas); the alarm fires when a minute's
estimated tokens reach `quota_alarm_fraction` of it in 3 of 5 minutes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from core.catalog.lookup import profile_id
from core.catalog.models import ClaudeModel

PERIOD_SECONDS = 60
EVALUATION_PERIODS = 5
DATAPOINTS_TO_ALARM = 3


@dataclass(frozen=True)
class QuotaAlarm:
    """One model in one Region: the `ModelId` values its quota is used under, and the alarm's threshold."""

    alias: str
    model_ids: tuple[str, ...]
    quota: int
    threshold: int


def quota_alarms(
    models: Iterable[ClaudeModel],
    endpoint_scope: str,
    quotas: Mapping[str, int],
    fraction: Decimal,
    application_profiles: Mapping[str, tuple[str, ...]] | None = None,
) -> tuple[QuotaAlarm, ...]:
    """An alarm per model with a quota; `application_profiles` lists, by alias, the IDs of the Region's team
    profiles of that model."""
    alarms = []
    for model in dict.fromkeys(models):
        if model.alias not in quotas:
            continue
        quota = quotas[model.alias]
        threshold = int((quota * fraction).to_integral_value(rounding=ROUND_FLOOR))
        teams = (application_profiles or {}).get(model.alias, ())
        alarms.append(QuotaAlarm(model.alias, (profile_id(model, endpoint_scope), *teams), quota, max(threshold, 1)))
    return tuple(alarms)

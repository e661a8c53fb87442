"""The one configuration object of the app: typed sections, built and validated in one place.

`app.py` passes CDK context (from `cdk.json` and `-c key=value`) to `load_config`; every stack receives the
frozen `AppConfig` it returns and hands each construct only its section. Nothing else reads context or the
environment. Each bad value raises `ConfigError` with one line naming the key, the value and what is allowed.

Values only: whether what they describe can be deployed (the policies fit IAM's limits) is decided beside the plan,
by `core.deployment.plan_deployment`, which synthesis runs right after loading.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from core.catalog.lookup import routed_regions
from core.config.access import DEFAULTS as ACCESS_DEFAULTS
from core.config.access import AccessConfig, parse_access
from core.config.alarms import DEFAULTS as ALARMS_DEFAULTS
from core.config.alarms import AlarmsConfig, parse_alarms
from core.config.data_retention import DEFAULTS as DATA_RETENTION_DEFAULTS
from core.config.data_retention import DataRetentionConfig, parse_data_retention
from core.config.guardrails import DEFAULTS as GUARDRAILS_DEFAULTS
from core.config.guardrails import GuardrailsConfig, parse_guardrails
from core.config.invocation_logging import DEFAULTS as LOGGING_DEFAULTS
from core.config.invocation_logging import LoggingConfig, parse_logging
from core.config.invoker import DEFAULTS as INVOKER_DEFAULTS
from core.config.invoker import InvokerConfig, parse_invoker
from core.config.models import DEFAULTS as MODELS_DEFAULTS
from core.config.models import ModelsConfig, check_callable, parse_models
from core.config.organization import DEFAULTS as ORGANIZATION_DEFAULTS
from core.config.organization import OrganizationConfig, parse_organization
from core.config.scp import DEFAULTS as SCP_DEFAULTS
from core.config.scp import ScpConfig, parse_scp
from core.config.teams import DEFAULTS as TEAMS_DEFAULTS
from core.config.teams import TeamConfig, parse_teams
from core.config.values import ACCOUNT, REGION, ConfigError, as_list, as_optional_text, fail


@dataclass(frozen=True)
class AppConfig:
    """Everything the stacks need, typed and validated; docs/platform/configuration.md describes every key."""

    account: str | None
    regions: tuple[str, ...]
    models: ModelsConfig
    access: AccessConfig
    logging: LoggingConfig
    data_retention: DataRetentionConfig
    invoker: InvokerConfig
    guardrails: GuardrailsConfig
    teams: tuple[TeamConfig, ...]
    alarms: AlarmsConfig
    scp: ScpConfig
    organization: OrganizationConfig
    today: date


# Default values, by section; cdk.json repeats them so a user sees and edits them in one file.
DEFAULTS: dict[str, Any] = {
    "account": None,
    "regions": ["us-east-1"],
    **MODELS_DEFAULTS,
    **ACCESS_DEFAULTS,
    **LOGGING_DEFAULTS,
    **DATA_RETENTION_DEFAULTS,
    **INVOKER_DEFAULTS,
    **GUARDRAILS_DEFAULTS,
    **TEAMS_DEFAULTS,
    **ALARMS_DEFAULTS,
    **SCP_DEFAULTS,
    **ORGANIZATION_DEFAULTS,
}
KEYS = tuple(DEFAULTS)

# Keys that were renamed so that each name says which part it configures: old name -> new name.
RENAMED_KEYS = {
    "invoker_principals": "access_role_principals",
    "invoker_external_id": "access_role_external_id",
    "allow_streaming": "access_allow_streaming",
    "allow_marketplace_subscription": "access_allow_marketplace_subscription",
    "keep_logging_configuration_on_delete": "log_keep_configuration_on_delete",
    "default_model": "invoker_default_model",
}
# Keys that configure nothing any more: key -> why. Refused too, so nobody believes a value of theirs still applies.
_NO_LAYER = (
    "the invoker logs with the standard library and writes its metrics in CloudWatch's embedded metric format "
    "itself, so its function has no Powertools layer"
)
REMOVED_KEYS = {
    "invoker_powertools_layer_version": _NO_LAYER,
    "powertools_layer_version": _NO_LAYER,
}


def load_config(context: Mapping[str, Any], today: date | None = None) -> AppConfig:
    """Build the validated configuration from CDK context values (missing keys take DEFAULTS)."""
    _refuse_unknown_keys(context)
    raw = {**DEFAULTS, **{k: v for k, v in context.items() if k in DEFAULTS and v is not None}}
    today = today or date.today()

    account = as_optional_text("account", raw["account"], ACCOUNT, "a 12-digit AWS account ID, or unset")
    model_section = parse_models(raw, today)
    regions = _regions(raw["regions"])
    check_callable(model_section.allowed, model_section.endpoint_scope, regions, "models")
    access_section = parse_access(raw)
    guardrails = parse_guardrails(raw)
    teams = parse_teams(raw, models=model_section, guardrails=guardrails, today=today)
    for team in teams:
        check_callable(team.models, model_section.endpoint_scope, regions, f"teams[{team.name}].models")
    residency = routed_regions(model_section.allowed, model_section.endpoint_scope, regions)
    return AppConfig(
        account=account,
        regions=regions,
        models=model_section,
        access=access_section,
        logging=parse_logging(raw, account=account, residency=residency, regions=regions),
        data_retention=parse_data_retention(raw),
        invoker=parse_invoker(raw, model_section),
        alarms=parse_alarms(raw, regions),
        scp=parse_scp(raw),
        organization=parse_organization(raw, residency=residency, regions=regions),
        today=today,
        guardrails=guardrails,
        teams=teams,
    )


def _regions(value: Any) -> tuple[str, ...]:
    regions = as_list("regions", value)
    if not regions:
        raise fail("regions", value, "one or more Region names, e.g. us-east-1")
    for region in regions:
        if not isinstance(region, str) or not REGION.match(region):
            raise fail("regions", region, "Region names such as us-east-1")
    if len(set(regions)) != len(regions):
        raise fail("regions", regions, "each Region once (invocation logging is a per-Region singleton)")
    return tuple(regions)


_PROJECT_KEY = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)+$")


def _refuse_unknown_keys(context: Mapping[str, Any]) -> None:
    """A misspelt, renamed or removed key must not be silently ignored (a default, or nothing, would apply unseen).

    CDK's own context keys (feature flags `@aws-cdk/...`, `aws:cdk:...`, lookups, `acknowledged-issue-numbers`)
    pass; a snake_case key that is not ours, or any key close to one of ours, is refused.
    """
    for key in context:
        if key in DEFAULTS:
            continue
        if key in RENAMED_KEYS:
            raise ConfigError(f"{key}: renamed to '{RENAMED_KEYS[key]}'; use that key (same values)")
        if key in REMOVED_KEYS:
            raise ConfigError(f"{key}: no longer used ({REMOVED_KEYS[key]}); remove the key")
        close = difflib.get_close_matches(key, KEYS, n=1, cutoff=0.8)
        if close or _PROJECT_KEY.match(key):
            hint = f"did you mean '{close[0]}'? " if close else ""
            raise ConfigError(f"{key}: unknown configuration key; {hint}allowed: {', '.join(KEYS)}")

"""Configuration section `teams`: groups of callers with their own models, inference profiles, cost tags and role.

Each team is `{"name", "principals", "models", "tags", "guardrail"?, "monthly_budget_usd"?, "budget_action"?}`.
Tag rules are AWS's (Tagging AWS resources: keys 1-128 and values 0-256 characters of letters, digits, white space
and `_ . : / = + - @`; the `aws:` prefix is reserved; at most 50 tags per resource); the same pattern is in the
AWS::Bedrock::ApplicationInferenceProfile schema. The team's tags are on its profiles and on its role (principal
tags), so both the spend metered under its profiles and the spend Bedrock attributes to its role carry them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from core.catalog.lookup import CatalogError, require_offered
from core.catalog.models import ClaudeModel
from core.config.cost import amount
from core.config.guardrails import NAME, NAME_MAX, GuardrailDefinition, GuardrailsConfig
from core.config.models import ModelsConfig, check_usable
from core.config.values import ConfigError, as_choice, as_list, as_principals, fail

DEFAULTS: dict[str, Any] = {"teams": []}

_KEYS = {"name", "principals", "models", "tags", "guardrail", "monthly_budget_usd", "budget_action"}
# What a team's budget does at 100% of its amount, besides notifying: `deny` attaches a policy denying the team's role
# every Claude call (an AWS Budgets action).
BUDGET_ACTIONS = ("notify", "deny")
_TAG_TEXT = re.compile(r"^[\w\s.:/=+@-]*$", re.ASCII)
MAX_TAGS = 50
# Tags every stack of this project carries (stacks/deployment.py); a team may not redefine them.
PROJECT_TAG_KEYS = ("project",)
# CloudFormation's rule for an application inference profile's name (AWS::Bedrock::ApplicationInferenceProfile).
PROFILE_NAME = re.compile(r"^([0-9a-zA-Z][ _-]?)+$")
PROFILE_NAME_MAX = 64


@dataclass(frozen=True)
class TeamConfig:
    """One team: who may assume its role, which models it may call, and the tags its profiles carry."""

    name: str
    principals: tuple[str, ...]
    models: tuple[ClaudeModel, ...]
    tags: tuple[tuple[str, str], ...]
    guardrail: GuardrailDefinition | None
    # The team's spend per calendar month, in USD, its budget warns about (None: no budget), and what the budget does
    # when it is spent.
    monthly_budget_usd: Decimal | None = None
    budget_action: str = "notify"

    def profile_name(self, model: ClaudeModel) -> str:
        """The name of the team's application inference profile for `model`."""
        return f"{self.name}-{model.alias}"


def parse_teams(
    raw: Mapping[str, Any], *, models: ModelsConfig, guardrails: GuardrailsConfig, today: date
) -> tuple[TeamConfig, ...]:
    teams: list[TeamConfig] = []
    for item in as_list("teams", raw["teams"]):
        team = _team(item, models, guardrails, today)
        if any(t.name == team.name for t in teams):
            raise fail("teams.name", team.name, "a name used by one team only")
        teams.append(team)
    for team in teams:
        _check_attributable(team, teams)
    return tuple(teams)


def attributing_tags(team: TeamConfig, teams: Sequence[TeamConfig]) -> tuple[tuple[str, str], ...]:
    """The team's tags that no other team has: what its budget filters on, so it counts this team's spend only."""
    others = {tag for other in teams if other.name != team.name for tag in other.tags}
    return tuple(tag for tag in team.tags if tag not in others)


def _check_attributable(team: TeamConfig, teams: list[TeamConfig]) -> None:
    """A team budget filters the bill on the team's tags: refuse one that no tag attributes to this team alone."""
    if team.monthly_budget_usd is None or attributing_tags(team, teams):
        return
    raise fail(
        f"teams[{team.name}].monthly_budget_usd",
        str(team.monthly_budget_usd),
        f"a budget of a team with a tag no other team has (its profiles and role carry it; the budget filters the "
        f'bill on it): add one to teams[{team.name}].tags, e.g. {{"team": "{team.name}"}}, and activate its key as a '
        "cost allocation tag",
    )


def _team(item: Any, models: ModelsConfig, guardrails: GuardrailsConfig, today: date) -> TeamConfig:
    if not isinstance(item, dict) or not {"name", "principals", "models"} <= set(item):
        raise fail("teams", item, 'objects like {"name": ..., "principals": [...], "models": [...], "tags": {...}}')
    unknown = set(item) - _KEYS
    if unknown:
        raise fail("teams", item, f"keys {', '.join(sorted(_KEYS))}; unknown {sorted(unknown)}")
    name = item["name"]
    if not isinstance(name, str) or not NAME.match(name) or len(name) > NAME_MAX:
        raise fail("teams.name", name, f"1-{NAME_MAX} lower-case letters, digits and single hyphens")
    where = f"teams[{name}]"
    principals = as_principals(f"{where}.principals", item["principals"])
    if not principals:
        raise fail(f"{where}.principals", item["principals"], "one or more account IDs, role or user ARNs")
    team_models = _models(f"{where}.models", item["models"], models, today)
    for model in team_models:
        profile_name = f"{name}-{model.alias}"
        if not PROFILE_NAME.match(profile_name) or len(profile_name) > PROFILE_NAME_MAX:
            raise fail(
                f"{where}.name",
                name,
                f"a shorter team name: the profile name '{profile_name}' must be at most {PROFILE_NAME_MAX} characters "
                "of letters, digits and single separators",
            )
    guardrail = None
    if item.get("guardrail") not in (None, ""):
        guardrail = guardrails.named(str(item["guardrail"]))
        if guardrail is None:
            names = ", ".join(d.name for d in guardrails.definitions) or "none defined; add one under 'guardrails'"
            raise fail(f"{where}.guardrail", item["guardrail"], f"the name of a guardrail in 'guardrails' ({names})")
    budget = amount(f"{where}.monthly_budget_usd", item.get("monthly_budget_usd"))
    action = as_choice(f"{where}.budget_action", item.get("budget_action", "notify"), BUDGET_ACTIONS)
    if action != "notify" and budget is None:
        raise fail(f"{where}.budget_action", action, f"'notify' without {where}.monthly_budget_usd (set a budget)")
    tags = _tags(f"{where}.tags", item.get("tags", {}))
    return TeamConfig(name, principals, team_models, tags, guardrail, budget, action)


def _models(key: str, value: Any, models: ModelsConfig, today: date) -> tuple[ClaudeModel, ...]:
    names = as_list(key, value)
    if not names:
        raise fail(key, value, f"one or more of {', '.join(models.catalog.aliases())}")
    try:
        chosen = tuple(dict.fromkeys(models.catalog.get(str(n), key) for n in names))
        for model in chosen:
            require_offered(model, models.endpoint_scope, key)
    except CatalogError as error:
        raise ConfigError(str(error)) from None
    for model in chosen:
        check_usable(model, key, models)
    return chosen


def _tags(key: str, value: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, dict):
        raise fail(key, value, 'an object of tag keys and values, such as {"cost-center": "1234"}')
    if len(value) > MAX_TAGS:
        raise fail(key, f"{len(value)} tags", f"at most {MAX_TAGS} tags")
    for tag_key, tag_value in value.items():
        if not isinstance(tag_key, str) or not 1 <= len(tag_key) <= 128 or not _TAG_TEXT.match(tag_key):
            raise fail(key, tag_key, "tag keys of 1-128 letters, digits, spaces and _ . : / = + - @")
        if tag_key.lower().startswith("aws:") or tag_key in PROJECT_TAG_KEYS:
            raise fail(key, tag_key, f"a tag key not starting with 'aws:' (reserved by AWS) and not {PROJECT_TAG_KEYS}")
        if not isinstance(tag_value, str) or len(tag_value) > 256 or not _TAG_TEXT.match(tag_value):
            raise fail(f"{key}.{tag_key}", tag_value, "tag values of 0-256 letters, digits, spaces and _ . : / = + - @")
    return tuple((str(k), str(v)) for k, v in value.items())

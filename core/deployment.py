"""What the configuration deploys, planned once: the plan of every Region and of every team in every Region.

`load_config` validates values; whether they can be deployed is decided here, beside the plans: IAM refuses, at
deploy time, a policy over its size limit or an eleventh managed policy on a role, so `plan_deployment` refuses
them first, with the same one-line `ConfigError` as any bad value, and Bedrock blocks a model that requires data
retention under a mode that forbids it, so that is refused here too. Synthesis calls it right after loading the
configuration and hands each stack the plans it needs; nothing else plans.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.config import AppConfig, ConfigError, TeamConfig
from core.guardrails.guardrail import SAMPLE_GUARDRAIL_ARN, SAMPLE_GUARDRAIL_VERSION, guardrail_statements
from core.invocation_access.permissions import Statement
from core.invocation_access.plan import PolicyTooLarge, RegionPlan, check_fits, check_policy_count, plan_region
from core.invoker.function_url import regions_without_function_urls
from core.invoker.teams import ServedTeam, principal_key, sample_profile_arns, served_models, team_statements
from core.retention_fit import check_models_run_under_the_mode
from core.teams.plan import TeamPlan, plan_team


@dataclass(frozen=True)
class DeploymentPlan:
    """The plans of one synthesis, in the order of `regions` (and of `teams` within a Region)."""

    # One per configured Region: the profiles and statements of the access stack and the invoker function.
    regions: tuple[RegionPlan, ...]
    # One per (team, Region): the team's profiles and role statements, naming samples until the construct binds them.
    teams: tuple[TeamPlan, ...]
    # With `organization_member_access`: one per Region again, naming the account the member baseline is deployed in.
    member_regions: tuple[RegionPlan, ...] = ()

    def region(self, name: str) -> RegionPlan:
        (plan,) = (p for p in self.regions if p.region == name)
        return plan

    def teams_in(self, region: str) -> tuple[TeamPlan, ...]:
        return tuple(p for p in self.teams if p.region == region)


def plan_deployment(config: AppConfig, account: str, *, member_account: str | None = None) -> DeploymentPlan:
    """Plan every Region and team of `config` once, refusing in one line what IAM would refuse at deploy time.

    `account` is the account the ARNs name: the configured one, or a CDK token in an environment-agnostic
    synthesis (sizes count it as 12 digits either way). `member_account` is the one the member baseline's ARNs
    name (the token of each member account), when the organization rollout gives members the invocation policy.
    """
    # Bedrock blocks a model whose card requires retention under a mode that forbids it: refused before anything.
    check_models_run_under_the_mode(config)
    _check_function_url(config)
    if serves_teams(config):
        _check_served_teams(config)
    # Room the invoker's guardrail statements take in the function's policy, measured with a deployed-length ARN.
    invoker_extra = (
        guardrail_statements(SAMPLE_GUARDRAIL_ARN, SAMPLE_GUARDRAIL_VERSION) if config.guardrails.invoker else []
    )
    teams = tuple(_fitting_team(config, team, region, account) for team in config.teams for region in config.regions)
    regions = tuple(
        _fitting_region(
            config,
            region,
            account,
            [*invoker_extra, *_served_team_statements(config, [t for t in teams if t.region == region])],
        )
        for region in config.regions
    )
    member_regions: tuple[RegionPlan, ...] = ()
    if config.organization.enabled and config.organization.member_access:
        member = member_account or account
        # Only the account differs, and sizes count every account as 12 digits: these fit when the others do.
        member_regions = regions if member == account else tuple(_region(config, r, member) for r in config.regions)
    return DeploymentPlan(regions=regions, teams=teams, member_regions=member_regions)


def serves_teams(config: AppConfig) -> bool:
    """Whether the invoker serves teams: with `teams` and the function URL that authenticates their callers."""
    return bool(config.teams) and config.invoker.function_url


def _served_team_statements(config: AppConfig, team_plans: list[TeamPlan]) -> list[Statement]:
    """The invoker's statements for the teams it serves in one Region, naming samples of the deployed length."""
    if not serves_teams(config):
        return []
    served = []
    for index, plan in enumerate(team_plans):
        models = served_models(plan, config.models.allowed)
        guardrail = (SAMPLE_GUARDRAIL_ARN, SAMPLE_GUARDRAIL_VERSION) if plan.team.guardrail else None
        arns = sample_profile_arns(plan.region, index, len(models))
        served.append(ServedTeam(plan, models, arns, guardrail))
    return team_statements(served, invoker_guardrail=config.guardrails.invoker is not None)


def _check_served_teams(config: AppConfig) -> None:
    """The invoker picks a caller's team by principal: a principal in two teams would leave it guessing. It applies
    one guardrail to a call, and IAM makes it apply `invoker_guardrail` to every call: a team with another
    guardrail could never be served through it."""
    owners: dict[tuple[str, ...], str] = {}
    for team in config.teams:
        for principal in team.principals:
            key = principal_key(principal)
            if key is not None and owners.setdefault(key, team.name) != team.name:
                raise ConfigError(
                    f"teams[{team.name}].principals: '{principal}' is also a principal of team {owners[key]}, and with "
                    "invoker_function_url the invoker picks a caller's team by principal; list it in one team only"
                )
    invoker = config.guardrails.invoker
    for team in config.teams:
        if invoker is not None and team.guardrail is not None and team.guardrail.name != invoker.name:
            raise ConfigError(
                f"teams[{team.name}].guardrail: '{team.guardrail.name}' is not invoker_guardrail "
                f"'{invoker.name}', and with invoker_function_url the invoker serves the team applying one "
                f"guardrail per call; give the team '{invoker.name}' or no guardrail, or set invoker_function_url=false"
            )


def _check_function_url(config: AppConfig) -> None:
    """Lambda offers no function URL in some Regions: CloudFormation would fail there, so refuse it here."""
    missing = regions_without_function_urls(config.regions) if config.invoker.function_url else ()
    if missing:
        raise ConfigError(
            f"invoker_function_url: Lambda offers no function URLs in {', '.join(missing)} (AWS Lambda developer "
            "guide, 'Invoking Lambda function URLs'); set invoker_function_url=false or deploy those Regions "
            "from a configuration without it"
        )


def _region(config: AppConfig, region: str, account: str) -> RegionPlan:
    return plan_region(
        models=config.models.allowed,
        endpoint_scope=config.models.endpoint_scope,
        region=region,
        account=account,
        allow_streaming=config.access.allow_streaming,
        allow_marketplace_subscription=config.access.allow_marketplace_subscription,
    )


def _fitting_region(config: AppConfig, region: str, account: str, invoker_extra: list[Statement]) -> RegionPlan:
    try:
        plan = _region(config, region, account)
        check_fits(plan, invoker_extra)
    except PolicyTooLarge as error:
        raise ConfigError(str(error)) from None
    return plan


def _fitting_team(config: AppConfig, team: TeamConfig, region: str, account: str) -> TeamPlan:
    try:
        plan = plan_team(team, endpoint_scope=config.models.endpoint_scope, region=region, account=account)
        check_policy_count(
            len(plan.policies()),
            f"{len(team.models)} models of team {team.name} from {region}",
            key=f"teams[{team.name}].models",
        )
    except PolicyTooLarge as error:
        raise ConfigError(str(error)) from None
    return plan

"""Wires the stacks of every configured Region into an app, from the configuration and its plan.

Each capability's construct gets one props object, built here from the configuration's sections and the plan
(`core.deployment`); a stack passes it on whole. What one stack needs of another it reads from that stack's typed
export (`destinations`, `exports`), built here too, so a key one capability takes from another section
(`log_retention_days`, `log_removal_policy`) is put in its props once, here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from aws_cdk import App, Environment, Stack, Tags
from aws_cdk import aws_cloudwatch as cloudwatch

from core.config import AppConfig, GuardrailDefinition
from core.deployment import DeploymentPlan, serves_teams
from core.guardrails.guardrail import AppliedGuardrail
from core.invocation_access.plan import RegionPlan
from core.invoker.teams import ServedTeam, served_models
from core.organization.policies import organization_policies
from core.organization.rollout import ORGANIZATION_STACK_NAME
from core.teams.plan import TeamPlan
from stacks.guardrails.construct import GuardrailProps
from stacks.guardrails.stack import GuardrailsStack
from stacks.invocation_access.construct import InvocationAccessProps
from stacks.invocation_access.stack import InvocationAccessStack
from stacks.invocation_logging.construct import InvocationLoggingProps
from stacks.invocation_logging.stack import InvocationLoggingStack
from stacks.invoker.construct import InvokerProps
from stacks.invoker.stack import InvokerStack
from stacks.organization.member import synthesize_member
from stacks.organization.policies import OrganizationPoliciesProps
from stacks.organization.stack import OrganizationStack
from stacks.organization.stack_set import MemberStackSetProps
from stacks.teams.construct import TeamProps
from stacks.teams.stack import TeamsExports, TeamsStack
from stacks.usage.construct import UsageProps
from stacks.usage.stack import UsageStack


def stack_name(kind: str, region: str) -> str:
    return f"Claude{kind}-{region}"


def build_stacks(app: App, config: AppConfig, plan: DeploymentPlan) -> list[Stack]:
    """Per source Region: invocation access, invocation logging, the invoker function and usage visibility; with
    `guardrails` configured, the guardrails; with `teams`, the teams."""
    stacks: list[Stack] = []
    for region_plan in plan.regions:
        stacks += _region_stacks(app, config, region_plan, plan.teams_in(region_plan.region))
    if config.organization.enabled:
        stacks.append(build_organization(app, config, plan))
    for stack in stacks:
        Tags.of(stack).add("project", "claude-on-bedrock")
    return stacks


def _region_stacks(app: App, config: AppConfig, plan: RegionPlan, team_plans: Iterable[TeamPlan]) -> list[Stack]:
    region, endpoint_scope = plan.region, plan.endpoint_scope
    env = Environment(account=config.account, region=region)
    access = InvocationAccessStack(
        app,
        stack_name("InvocationAccess", region),
        props=access_props(config, plan),
        env=env,
        description=f"Least-privilege access to Claude on Amazon Bedrock ({endpoint_scope} scope) "
        f"for callers in {region}",
    )
    guardrails = (
        GuardrailsStack(
            app,
            stack_name("Guardrails", region),
            guardrails=[GuardrailProps(definition) for definition in config.guardrails.definitions],
            env=env,
            description=f"Amazon Bedrock guardrails that teams and the Claude invoker apply in {region}",
        )
        if config.guardrails.definitions
        else None
    )
    applied = guardrails.exports.applied if guardrails else {}
    team_plans = tuple(team_plans)
    teams = (
        TeamsStack(
            app,
            stack_name("Teams", region),
            teams=[
                TeamProps(plan=team_plan, guardrail=_guardrail(applied, team_plan.team.guardrail))
                for team_plan in team_plans
            ],
            env=env,
            description=f"Teams calling Claude through their own inference profiles and roles in {region}",
        )
        if config.teams
        else None
    )
    served = _served_teams(config, team_plans, teams.exports, applied) if teams and serves_teams(config) else ()
    invoker = InvokerStack(
        app,
        stack_name("Invoker", region),
        props=invoker_props(config, plan, _guardrail(applied, config.guardrails.invoker), served),
        env=env,
        description=f"Lambda function other services invoke to call Claude ({endpoint_scope} scope) from {region}",
    )
    invocation_logs = InvocationLoggingStack(
        app, stack_name("InvocationLogging", region), props=invocation_logging_props(config, region), env=env
    )
    stacks: list[Stack] = [access, invocation_logs, invoker, *([guardrails] if guardrails else [])]
    if teams:
        stacks.append(teams)
    destinations = invocation_logs.destinations
    usage = UsageProps(
        region=region,
        endpoint_scope=endpoint_scope,
        invocation_log_group_name=destinations.log_group.log_group_name,
        invoker_log_group_name=invoker.exports.log_group.log_group_name,
        log_bucket=destinations.bucket,
        log_key_arn=destinations.key.key_arn,
        alarms=_alarms(stacks),
        log_retention_days=config.logging.retention_days,
        log_removal_policy=config.logging.removal_policy,
    )
    description = f"Dashboard, saved queries and Athena over the Claude invocation logs of {region}"
    stacks.append(UsageStack(app, stack_name("Usage", region), props=usage, env=env, description=description))
    return stacks


def access_props(config: AppConfig, plan: RegionPlan) -> InvocationAccessProps:
    return InvocationAccessProps(plan=plan, access=config.access)


def invocation_logging_props(config: AppConfig, region: str) -> InvocationLoggingProps:
    return InvocationLoggingProps(
        invocation_logging=config.logging, alarms=config.alarms, data_retention=config.data_retention, region=region
    )


def invoker_props(
    config: AppConfig,
    plan: RegionPlan,
    guardrail: AppliedGuardrail | None,
    teams: tuple[ServedTeam, ...] = (),
) -> InvokerProps:
    return InvokerProps(
        invoker=config.invoker,
        plan=plan,
        log_retention_days=config.logging.retention_days,
        log_removal_policy=config.logging.removal_policy,
        alarms=config.alarms,
        guardrail=guardrail,
        teams=teams,
    )


def _served_teams(
    config: AppConfig,
    team_plans: tuple[TeamPlan, ...],
    exports: TeamsExports,
    applied: Mapping[str, AppliedGuardrail],
) -> tuple[ServedTeam, ...]:
    """The teams the invoker serves in a Region, naming their application profiles from the teams stack's export."""
    served = []
    for team_plan in team_plans:
        models = served_models(team_plan, config.models.allowed)
        profiles = exports.by_team[team_plan.team.name].profiles
        guardrail = _guardrail(applied, team_plan.team.guardrail)
        served.append(
            ServedTeam(
                team_plan,
                models,
                tuple(profiles[model.alias].attr_inference_profile_arn for model in models),
                (guardrail.arn, guardrail.version) if guardrail else None,
            )
        )
    return tuple(served)


def _guardrail(
    applied: Mapping[str, AppliedGuardrail], definition: GuardrailDefinition | None
) -> AppliedGuardrail | None:
    """The Region's deployed version of the guardrail `definition` names (from its guardrails stack), or None."""
    return applied[definition.name] if definition else None


class MemberBaselineRefused(RuntimeError):
    """The member baseline has unacknowledged rule-pack findings: the StackSet must not deploy it."""


def build_organization(app: App, config: AppConfig, plan: DeploymentPlan) -> OrganizationStack:
    """With `organization_targets`: the member baseline, synthesized first in its own app (written next to the
    app's templates, in `member-baseline/`), then the stack holding the StackSet that deploys it."""
    flags = {k: v for k, v in app.node.get_all_context().items() if k.startswith("@")}
    member = synthesize_member(config, plan.member_regions, Path(app.outdir) / "member-baseline", flags)
    if not member.passed_rule_packs:
        raise MemberBaselineRefused(
            f"ValidationFailed: the member baseline has unacknowledged rule-pack findings ({member.outdir})"
        )
    return OrganizationStack(
        app,
        ORGANIZATION_STACK_NAME,
        props=MemberStackSetProps(organization=config.organization, regions=config.regions, member=member),
        policies=organization_policies_props(config),
        env=Environment(account=config.account, region=config.regions[0]),
        description="Claude on Amazon Bedrock: the StackSet that keeps the member baseline in every account of "
        "the organization's targets",
    )


def organization_policies_props(config: AppConfig) -> OrganizationPoliciesProps:
    """The organization's policies the stack attaches to the targets: `python app.py scp` (and `--rcp`) as printed."""
    policies = organization_policies(config)
    organization = config.organization
    return OrganizationPoliciesProps(
        targets=organization.targets,
        service_control=policies.service_control if organization.deploys_service_control_policies else (),
        resource_control=policies.resource_control if organization.deploys_resource_control_policies else (),
    )


def _alarms(stacks: Iterable[Stack]) -> list[cloudwatch.CfnAlarm]:
    """Every CloudWatch alarm of the Region's stacks, whichever construct added it."""
    return [c for stack in stacks for c in stack.node.find_all() if isinstance(c, cloudwatch.CfnAlarm)]

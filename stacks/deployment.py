"""Wires the stacks of every configured Region into an app. Reads nothing but the config."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from aws_cdk import App, Aws, Environment, Stack, Tags
from aws_cdk import aws_cloudwatch as cloudwatch

from core.config import AppConfig
from core.invocation_access.plan import plan_region
from core.organization.rollout import ORGANIZATION_STACK_NAME
from stacks.guardrails.stack import GuardrailsStack
from stacks.invocation_access.stack import InvocationAccessStack
from stacks.invocation_logging.stack import InvocationLoggingStack
from stacks.invoker.stack import InvokerStack
from stacks.organization.member import synthesize_member
from stacks.organization.stack import OrganizationStack
from stacks.teams.stack import TeamsStack
from stacks.usage.stack import UsageStack


def stack_name(kind: str, region: str) -> str:
    return f"Claude{kind}-{region}"


def build_stacks(app: App, config: AppConfig) -> list[Stack]:
    """Per source Region: invocation access, invocation logging, the invoker function and usage visibility; with
    `guardrails` configured, the guardrails; with `teams`, the teams."""
    stacks: list[Stack] = []
    endpoint_scope = config.models.endpoint_scope
    for region in config.regions:
        env = Environment(account=config.account, region=region)
        # What the Region needs, computed once and handed to the stacks that use it.
        plan = plan_region(
            models=config.models.allowed,
            endpoint_scope=endpoint_scope,
            region=region,
            account=config.account or Aws.ACCOUNT_ID,
            allow_streaming=config.access.allow_streaming,
            allow_marketplace_subscription=config.access.allow_marketplace_subscription,
        )
        access = InvocationAccessStack(
            app,
            stack_name("InvocationAccess", region),
            plan=plan,
            access=config.access,
            env=env,
            description=f"Least-privilege access to Claude on Amazon Bedrock ({endpoint_scope} scope) "
            f"for callers in {region}",
        )
        guardrails = (
            GuardrailsStack(
                app,
                stack_name("Guardrails", region),
                guardrails=config.guardrails,
                env=env,
                description=f"Amazon Bedrock guardrails that teams and the Claude invoker apply in {region}",
            )
            if config.guardrails.definitions
            else None
        )
        invoker_guardrail = (
            guardrails.applied(config.guardrails.invoker.name) if guardrails and config.guardrails.invoker else None
        )
        invoker = InvokerStack(
            app,
            stack_name("Invoker", region),
            invoker=config.invoker,
            plan=plan,
            log_retention_days=config.logging.retention_days,
            log_removal_policy=config.logging.removal_policy,
            guardrail=invoker_guardrail,
            alarms=config.alarms,
            env=env,
            description=f"Lambda function other services invoke to call Claude ({endpoint_scope} scope) from {region}",
        )
        logging = InvocationLoggingStack(
            app,
            stack_name("InvocationLogging", region),
            logging=config.logging,
            alarms=config.alarms,
            region=region,
            env=env,
        )
        stacks += [access, logging, invoker]
        if guardrails is not None:
            stacks.append(guardrails)
        if config.teams:
            stacks.append(
                TeamsStack(
                    app,
                    stack_name("Teams", region),
                    teams=config.teams,
                    endpoint_scope=endpoint_scope,
                    region=region,
                    guardrails=guardrails,
                    env=env,
                    description=f"Teams calling Claude through their own inference profiles and roles in {region}",
                )
            )
        storage = logging.logging.storage
        usage = UsageStack(
            app,
            stack_name("Usage", region),
            region=region,
            endpoint_scope=endpoint_scope,
            invocation_log_group_name=storage.log_group.log_group_name,
            invoker_log_group_name=invoker.invoker.log_group.log_group_name,
            log_bucket=storage.bucket,
            log_key_arn=storage.key.key_arn,
            alarms=_alarms(s for s in stacks if s.region == region),
            retention_days=config.logging.retention_days,
            log_removal_policy=config.logging.removal_policy,
            env=env,
            description=f"Dashboard, saved queries and Athena over the Claude invocation logs of {region}",
        )
        stacks.append(usage)
    if config.organization.enabled:
        stacks.append(build_organization(app, config))
    for stack in stacks:
        Tags.of(stack).add("project", "claude-on-bedrock")
    return stacks


class MemberBaselineRefused(RuntimeError):
    """The member baseline has unacknowledged rule-pack findings: the StackSet must not deploy it."""


def build_organization(app: App, config: AppConfig) -> OrganizationStack:
    """With `organization_targets`: the member baseline, synthesized first in its own app (written next to the
    app's templates, in `member-baseline/`), then the stack holding the StackSet that deploys it."""
    flags = {k: v for k, v in app.node.get_all_context().items() if k.startswith("@")}
    member = synthesize_member(config, Path(app.outdir) / "member-baseline", flags)
    if not member.passed_rule_packs:
        raise MemberBaselineRefused(
            f"ValidationFailed: the member baseline has unacknowledged rule-pack findings ({member.outdir})"
        )
    return OrganizationStack(
        app,
        ORGANIZATION_STACK_NAME,
        organization=config.organization,
        regions=config.regions,
        member=member,
        env=Environment(account=config.account, region=config.regions[0]),
        description="Claude on Amazon Bedrock: the StackSet that keeps the member baseline in every account of "
        "the organization's targets",
    )


def _alarms(stacks: Iterable[Stack]) -> list[cloudwatch.CfnAlarm]:
    """Every CloudWatch alarm of the Region's stacks, whichever construct added it."""
    return [c for stack in stacks for c in stack.node.find_all() if isinstance(c, cloudwatch.CfnAlarm)]

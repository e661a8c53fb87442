"""Wires the stacks of every configured Region into an app. Reads nothing but the config."""

from __future__ import annotations

from aws_cdk import App, Aws, Environment, Stack, Tags

from core.config import AppConfig
from core.plan import plan_region
from stacks.invocation_access.stack import InvocationAccessStack
from stacks.invocation_logging.stack import InvocationLoggingStack
from stacks.invoker.stack import InvokerStack


def stack_name(kind: str, region: str) -> str:
    return f"Claude{kind}-{region}"


def build_stacks(app: App, config: AppConfig) -> list[Stack]:
    """Per source Region: invocation access, invocation logging and the invoker function."""
    stacks: list[Stack] = []
    scope = config.models.scope
    for region in config.regions:
        env = Environment(account=config.account, region=region)
        # What the Region needs, computed once and handed to the stacks that use it.
        plan = plan_region(
            models=config.models.allowed,
            scope=scope,
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
            description=f"Least-privilege access to Claude on Amazon Bedrock ({scope} scope) for callers in {region}",
        )
        invoker = InvokerStack(
            app,
            stack_name("Invoker", region),
            invoker=config.invoker,
            plan=plan,
            log_retention_days=config.logging.retention_days,
            log_removal_policy=config.logging.removal_policy,
            alarms=config.alarms,
            env=env,
            description=f"Lambda function other services invoke to call Claude ({scope} scope) from {region}",
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
    for stack in stacks:
        Tags.of(stack).add("project", "claude-on-bedrock")
    return stacks

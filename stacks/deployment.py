"""Wires the stacks of every configured Region into an app. Reads nothing but the config."""

from __future__ import annotations

from aws_cdk import App, Environment, Stack, Tags

from stacks.config import AppConfig
from stacks.invocation_access.stack import InvocationAccessStack
from stacks.invocation_logging.stack import InvocationLoggingStack
from stacks.invoker.stack import InvokerStack


def stack_name(kind: str, region: str) -> str:
    return f"Claude{kind}-{region}"


def build_stacks(app: App, config: AppConfig) -> list[Stack]:
    """Per source Region: invocation access, invocation logging and the invoker function."""
    stacks: list[Stack] = []
    for region in config.regions:
        env = Environment(account=config.account, region=region)
        access = InvocationAccessStack(
            app,
            stack_name("InvocationAccess", region),
            config=config,
            region=region,
            env=env,
            description=f"Least-privilege access to Claude on Amazon Bedrock ({config.endpoint_scope} scope) "
            f"for callers in {region}",
        )
        invoker = InvokerStack(
            app,
            stack_name("Invoker", region),
            config=config,
            access=access.access,
            env=env,
            description=f"Lambda function other services invoke to call Claude ({config.endpoint_scope} scope) "
            f"from {region}",
        )
        logging = InvocationLoggingStack(
            app,
            stack_name("InvocationLogging", region),
            config=config,
            region=region,
            env=env,
        )
        stacks += [access, logging, invoker]
    for stack in stacks:
        Tags.of(stack).add("project", "claude-on-bedrock")
    return stacks

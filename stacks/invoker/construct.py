"""Construct: the Claude invoker, composed of its function, asynchronous delivery, optional network and alarms.

The key and the log group are shared by the parts, so they are made here; every part creates its resources in
this construct's scope, which keeps the logical IDs of the stateful ones (key, log group, queues, topic) stable.
"""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import Stack
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from constructs import Construct

from core.config import AlarmsConfig, InvokerConfig
from core.guardrails.guardrail import SAMPLE_GUARDRAIL_ARN, SAMPLE_GUARDRAIL_VERSION, AppliedGuardrail
from core.invocation_access.plan import RegionPlan
from core.invoker.environment import function_environment
from core.invoker.teams import ServedTeam, sample_profile_arns, team_statements
from stacks.invoker.alarms import InvokerAlarms
from stacks.invoker.async_delivery import AsyncDelivery
from stacks.invoker.function import InvokerFunction
from stacks.invoker.network import InvokerNetwork
from stacks.shared.encryption import allow_cloudwatch_logs
from stacks.shared.lifetimes import removal_policy, retention_period


@dataclass(frozen=True)
class InvokerProps:
    """What `ClaudeInvoker` (and the invoker stack around it) is built from."""

    # The `invoker_*` keys: default model, memory, timeout, concurrency, callers, network, Bedrock options.
    invoker: InvokerConfig
    # The Region's plan: the profiles the function may call and the function's statements.
    plan: RegionPlan
    # `log_retention_days`: how long the function's logs and its results bucket's access logs are kept.
    log_retention_days: int
    # `log_removal_policy`: whether the key, log group and buckets are kept when the stack is deleted.
    log_removal_policy: str
    # Who hears the function's alarms (`alarm_*`).
    alarms: AlarmsConfig
    # The guardrail the function must apply (`invoker_guardrail`, from the Region's guardrails stack); None: none.
    guardrail: AppliedGuardrail | None = None
    # With `teams` and `invoker_function_url`: the teams whose callers it serves through their application profiles
    # (their ARNs from the Region's teams stack); empty: none.
    teams: tuple[ServedTeam, ...] = ()


class ClaudeInvoker(Construct):
    """A Lambda function other services invoke to call Claude through the configured inference profile."""

    def __init__(self, scope: Construct, construct_id: str, *, props: InvokerProps) -> None:
        super().__init__(scope, construct_id)
        stack = Stack.of(self)
        invoker, plan, guardrail = props.invoker, props.plan, props.guardrail
        log_retention_days = props.log_retention_days
        removal = removal_policy(props.log_removal_policy)
        self.key = kms.Key(
            self,
            "InvokerKey",
            description="Encrypts the Claude invoker's environment, logs, queues, results bucket and alarm topic",
            enable_key_rotation=True,
            removal_policy=removal,
        )
        self.log_group = logs.LogGroup(
            self,
            "InvokerLogGroup",
            retention=retention_period(log_retention_days),
            encryption_key=self.key,
            removal_policy=removal,
        )
        # CloudWatch Logs encrypts with the key only for log groups of this account and Region.
        allow_cloudwatch_logs(
            self.key,
            sid="AllowCloudWatchLogsForThisAccountsLogGroups",
            region=stack.region,
            log_group_arns=f"arn:{stack.partition}:logs:{stack.region}:{stack.account}:log-group:*",
        )
        self.delivery = AsyncDelivery(
            self,
            key=self.key,
            results_retention_days=invoker.results_retention_days,
            access_log_retention_days=log_retention_days,
            removal=removal,
        )
        self.network = (
            InvokerNetwork(self, key=self.key, retention_days=log_retention_days, removal=removal)
            if invoker.vpc
            else None
        )
        self.invoker_function = InvokerFunction(
            self,
            invoker=invoker,
            endpoint_scope=plan.endpoint_scope,
            environment=function_environment(
                invoker,
                plan.endpoint_scope,
                plan.profiles,
                results_bucket=self.delivery.results_bucket.bucket_name,
                guardrail=guardrail,
                teams=props.teams,
            ),
            # With a guardrail, IAM denies the function every call that does not apply it; with teams, it may invoke
            # their application profiles, and nothing else of theirs.
            model_policies=plan.function_policies(
                [
                    *(guardrail.statements() if guardrail else ()),
                    *team_statements(props.teams, invoker_guardrail=guardrail is not None),
                ],
                {**(guardrail.stand_ins() if guardrail else {}), **_team_stand_ins(stack.region, props.teams)},
            ),
            key=self.key,
            log_group=self.log_group,
            delivery=self.delivery,
            network=self.network,
        )
        self.alarms = InvokerAlarms(
            self,
            key=self.key,
            function=self.invoker_function.function,
            dead_letter_queue=self.delivery.dead_letter_queue,
            timeout_seconds=invoker.timeout_seconds,
            alarms=props.alarms,
        )


def _team_stand_ins(region: str, teams: tuple[ServedTeam, ...]) -> dict[str, str]:
    """Deployed-length values for the tokens of the teams' profiles and guardrails, for policy sizes."""
    stand_ins: dict[str, str] = {}
    for index, team in enumerate(teams):
        samples = sample_profile_arns(region, index, len(team.profile_arns))
        stand_ins.update(zip(team.profile_arns, samples, strict=True))
        if team.guardrail is not None:
            stand_ins.update({team.guardrail[0]: SAMPLE_GUARDRAIL_ARN, team.guardrail[1]: SAMPLE_GUARDRAIL_VERSION})
    return stand_ins

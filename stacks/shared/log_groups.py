"""Letting one writer (a function, a service) put events into the streams of one log group, and nothing else."""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs

from stacks.shared.nag import acknowledge

LOG_WRITE_ACTIONS = ("logs:CreateLogStream", "logs:PutLogEvents")


def allow_writing_log_streams(
    policy: iam.ManagedPolicy,
    log_group: logs.ILogGroup,
    *,
    whose: str,
    named_by: str,
    sid: str | None = None,
    actions: Sequence[str] = LOG_WRITE_ACTIONS,
) -> None:
    """Add the statement to `policy`, and acknowledge its `:log-stream:*` wildcard on the policy.

    `whose` and `named_by` make the reason a reviewer reads: "Log streams of <whose> only: <named_by>."
    """
    policy.add_statements(
        iam.PolicyStatement(
            sid=sid,
            actions=list(actions),
            resources=[log_group.log_group_arn, f"{log_group.log_group_arn}:log-stream:*"],
        )
    )
    log_group_id = Stack.of(policy).get_logical_id(log_group.node.default_child)  # type: ignore[arg-type]
    acknowledge(
        policy,
        f"AwsSolutions-IAM5[Resource::<{log_group_id}.Arn>:log-stream:*]",
        f"Log streams of {whose} only: {named_by}.",
    )

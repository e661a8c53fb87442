"""The read-only role the organization audit assumes in each member account (`organization_audit_role_name`).

IAM is global and the member baseline is deployed once per Region, so the role exists in the first Region's stack
instance only (a CloudFormation condition on `AWS::Region`). Its policy is `compliance/audit_policy.json`, exactly
what the audit calls (tests/compliance/audit/test_audit_policy.py); whoever `organization_audit_principal` names may
assume it.
"""

from __future__ import annotations

from aws_cdk import CfnCondition, Duration, Stack
from aws_cdk import aws_iam as iam
from constructs import Construct

from stacks.shared.audit_policy import acknowledge_wildcards, logging_audit_statements, no_resource_type_reason
from stacks.shared.nag import acknowledge
from stacks.shared.principals import principal


class AuditRole:
    """`LoggingAuditRole` and `LoggingAuditPolicy`, in `scope`, created only where `condition` holds."""

    def __init__(
        self,
        scope: Construct,
        *,
        role_name: str,
        trusted: str,
        condition: CfnCondition,
        retention_storage_read: str | None = None,
    ) -> None:
        stack = Stack.of(scope)
        statements = logging_audit_statements(stack.partition)
        if retention_storage_read is not None:
            # `data_retention_storage_actions.get`: the storage record's read, which no AWS page we could read names.
            statements.append(
                {"Sid": "ReadRetentionStorage", "Effect": "Allow", "Action": retention_storage_read, "Resource": "*"}
            )
        self.policy = iam.ManagedPolicy(
            scope,
            "LoggingAuditPolicy",
            description="The organization audit of invocation logging: read-only (compliance/audit_policy.json)",
            document=iam.PolicyDocument.from_json({"Version": "2012-10-17", "Statement": statements}),
        )
        self.role = iam.Role(
            scope,
            "LoggingAuditRole",
            role_name=role_name,
            description="Assumed by the organization audit (python app.py audit --organization); read-only",
            assumed_by=principal(trusted),
            managed_policies=[self.policy],
            max_session_duration=Duration.hours(1),
        )
        for part in (self.role, self.policy):
            part.node.default_child.cfn_options.condition = condition  # type: ignore[union-attr]
        acknowledge_wildcards(self.policy, statements)
        acknowledge(
            self.policy,
            "AwsSolutions-IAM5[Resource::*]",
            no_resource_type_reason(statements) + " Every action of the policy only reads.",
        )

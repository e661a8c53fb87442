"""Stack: the organization rollout, deployed in the StackSets administrator account (the management account or a
delegated administrator, `organization_call_as`) in the first Region of `regions`: the StackSet of the member
baseline and, unless the organization manages them elsewhere, the organization's policies attached to the same
targets."""

from __future__ import annotations

from typing import Any

from aws_cdk import CfnOutput, Stack
from constructs import Construct

from stacks.organization.policies import ClaudeOrganizationPolicies, OrganizationPoliciesProps
from stacks.organization.stack_set import ClaudeMemberStackSet, MemberStackSetProps


class OrganizationStack(Stack):
    """Holds the StackSet; deleting this stack deletes the StackSet and, with it, the member stacks (their logs,
    keys and configuration are retained as `log_removal_policy` and `log_keep_configuration_on_delete` say)."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        props: MemberStackSetProps,
        policies: OrganizationPoliciesProps,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.rollout = ClaudeMemberStackSet(self, "ClaudeMemberRollout", props=props)
        self.policies = ClaudeOrganizationPolicies(self, "ClaudeOrganizationPolicies", props=policies)
        CfnOutput(
            self,
            "StackSetName",
            value=self.rollout.stack_set.stack_set_name,
            description="Service-managed StackSet of the member baseline (aws cloudformation describe-stack-set)",
        )
        CfnOutput(
            self,
            "MemberTemplate",
            value=f"{self.rollout.delivery}, {self.rollout.template_size} bytes",
            description="How the member template reaches the StackSet (TemplateBody up to 51,200 bytes)",
        )
        CfnOutput(
            self,
            "Targets",
            value=",".join(props.organization.targets),
            description="Organizational units (or the root) whose accounts get the member baseline, new ones too",
        )
        for kind, attached in (
            ("ServiceControlPolicyIds", self.policies.service_control),
            ("ResourceControlPolicyIds", self.policies.resource_control),
        ):
            if attached:
                CfnOutput(
                    self,
                    kind,
                    value=",".join(policy.ref for policy in attached),
                    description="Policies this stack attaches to the targets (python app.py scp prints them)",
                )

"""Construct: the organization's service control and resource control policies, attached to the rollout's targets.

The documents are `python app.py scp` and `python app.py scp --rcp` exactly (`core.organization.policies`, one owner),
one `AWS::Organizations::Policy` per document of at most 5,120 characters, each attached to every target OU or root
(`TargetIds`). "This operation can be called only from the organization's management account or a member account
designated as a delegated administrator", and "Before you can create a policy of a given type, you must first enable
that policy type in your organization" (AWS::Organizations::Policy,
https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-organizations-policy.html).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aws_cdk import aws_organizations as organizations
from constructs import Construct

SERVICE_CONTROL_POLICY = "SERVICE_CONTROL_POLICY"
RESOURCE_CONTROL_POLICY = "RESOURCE_CONTROL_POLICY"
POLICY_NAME_PREFIX = "claude-on-bedrock"


@dataclass(frozen=True)
class OrganizationPoliciesProps:
    """What `ClaudeOrganizationPolicies` is built from."""

    # The OUs or the root the policies are attached to (`organization_targets`).
    targets: tuple[str, ...]
    # The service control policies to attach (empty with `organization_scps=false`).
    service_control: tuple[dict[str, Any], ...]
    # The resource control policies to attach (empty unless `organization_rcps`).
    resource_control: tuple[dict[str, Any], ...]


class ClaudeOrganizationPolicies(Construct):
    """`ServiceControlPolicy<n>` and `ResourceControlPolicy<n>`, attached to the targets."""

    def __init__(self, scope: Construct, construct_id: str, *, props: OrganizationPoliciesProps) -> None:
        super().__init__(scope, construct_id)
        self.service_control = self._policies(props, SERVICE_CONTROL_POLICY, props.service_control)
        self.resource_control = self._policies(props, RESOURCE_CONTROL_POLICY, props.resource_control)

    def _policies(
        self, props: OrganizationPoliciesProps, kind: str, documents: tuple[dict[str, Any], ...]
    ) -> list[organizations.CfnPolicy]:
        short = "scp" if kind == SERVICE_CONTROL_POLICY else "rcp"
        label = "ServiceControlPolicy" if kind == SERVICE_CONTROL_POLICY else "ResourceControlPolicy"
        return [
            organizations.CfnPolicy(
                self,
                f"{label}{number}",
                name=f"{POLICY_NAME_PREFIX}-{short}-{number}",
                description=f"Claude on Amazon Bedrock: scope and logging guarantee ({number} of {len(documents)}), "
                f"python app.py scp{' --rcp' if short == 'rcp' else ''}",
                type=kind,
                content=document,
                target_ids=list(props.targets),
            )
            for number, document in enumerate(documents, start=1)
        ]

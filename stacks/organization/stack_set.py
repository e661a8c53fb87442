"""Construct: the service-managed StackSet that keeps the member baseline in every account under the targets.

Service-managed permissions (StackSets creates the roles it needs in each account through AWS Organizations),
automatic deployment (an account that joins a target OU gets the baseline; one that leaves keeps its stacks when
`organization_retain_stacks_on_removal`, so its logs survive a move between OUs), one instance per account and Region
of `regions`, managed execution (non-conflicting operations run concurrently, conflicting ones queue). Property
shapes: the AWS::CloudFormation::StackSet resource schema; "OperationPreferences don't apply to AutoDeployment"
(CloudFormation API reference, StackSetOperationPreferences).

The member template travels as `TemplateBody` when it fits the schema's 51,200 bytes; otherwise it is a file asset of
the administrator account (its CDK bootstrap bucket) and travels as `TemplateURL` (at most 460,800 bytes). Member
accounts never read an asset: CloudFormation reads the template once, in the administrator account.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aws_cdk import aws_cloudformation as cloudformation
from aws_cdk import aws_s3_assets as s3_assets
from constructs import Construct

from core.config import Amount, OrganizationConfig
from core.organization.rollout import STACK_SET_NAME, TEMPLATE_BODY_LIMIT, TEMPLATE_URL_LIMIT
from stacks.organization.member import MemberTemplate

# Properties of IAM resources that name them: with any, CloudFormation asks for CAPABILITY_NAMED_IAM.
_IAM_NAME_PROPERTIES = ("RoleName", "ManagedPolicyName", "UserName", "GroupName", "InstanceProfileName")


class TemplateTooLarge(ValueError):
    """The member template exceeds what a StackSet accepts even from S3."""


def capabilities(template: dict[str, Any]) -> list[str]:
    """What CloudFormation must be told the template does: CAPABILITY_IAM for IAM resources, NAMED_IAM if named."""
    iam = [r for r in template.get("Resources", {}).values() if str(r.get("Type", "")).startswith("AWS::IAM::")]
    if not iam:
        return []
    named = any(name in r.get("Properties", {}) for r in iam for name in _IAM_NAME_PROPERTIES)
    return ["CAPABILITY_NAMED_IAM" if named else "CAPABILITY_IAM"]


def _preferences(organization: OrganizationConfig, regions: tuple[str, ...]) -> Any:
    def split(amount: Amount) -> tuple[int | None, int | None]:
        return (None, amount.value) if amount.percentage else (amount.value, None)

    concurrent_count, concurrent_percentage = split(organization.max_concurrent)
    tolerance_count, tolerance_percentage = split(organization.failure_tolerance)
    return cloudformation.CfnStackSet.OperationPreferencesProperty(
        region_concurrency_type=organization.region_concurrency,
        region_order=list(regions),
        max_concurrent_count=concurrent_count,
        max_concurrent_percentage=concurrent_percentage,
        failure_tolerance_count=tolerance_count,
        failure_tolerance_percentage=tolerance_percentage,
        concurrency_mode=organization.concurrency_mode,
    )


@dataclass(frozen=True)
class MemberStackSetProps:
    """What `ClaudeMemberStackSet` (and the organization stack around it) is built from."""

    # The `organization_*` keys: targets, call-as, automatic deployment and operation preferences.
    organization: OrganizationConfig
    # `regions`: where every member account gets a stack instance, in this order.
    regions: tuple[str, ...]
    # The member baseline as synthesized (and checked by every rule pack) before this stack is built.
    member: MemberTemplate


class ClaudeMemberStackSet(Construct):
    """`MemberBaselineStackSet`: the member template, deployed to every account under the targets, in every Region."""

    def __init__(self, scope: Construct, construct_id: str, *, props: MemberStackSetProps) -> None:
        super().__init__(scope, construct_id)
        organization, regions, member = props.organization, props.regions, props.member
        self.template_size = member.size
        if member.size <= TEMPLATE_BODY_LIMIT:
            self.delivery = "TemplateBody"
            body: str | None = member.body
            url: str | None = None
        elif member.size <= TEMPLATE_URL_LIMIT:
            self.delivery = "TemplateURL"
            compact = member.outdir / f"{member.path.stem}.compact.json"
            compact.write_text(member.body)
            body, url = None, s3_assets.Asset(self, "MemberTemplate", path=str(compact)).http_url
        else:
            raise TemplateTooLarge(
                f"the member baseline template is {member.size} bytes; a StackSet accepts at most "
                f"{TEMPLATE_URL_LIMIT} from S3: configure fewer regions with organization_member_access"
            )
        self.stack_set = cloudformation.CfnStackSet(
            self,
            "MemberBaselineStackSet",
            stack_set_name=STACK_SET_NAME,
            description="Claude on Amazon Bedrock: invocation logging (and access) in every member account",
            permission_model="SERVICE_MANAGED",
            call_as=organization.call_as,
            auto_deployment=cloudformation.CfnStackSet.AutoDeploymentProperty(
                enabled=True, retain_stacks_on_account_removal=organization.retain_stacks_on_removal
            ),
            managed_execution={"Active": True},
            capabilities=capabilities(member.template) or None,
            operation_preferences=_preferences(organization, regions),
            stack_instances_group=[
                cloudformation.CfnStackSet.StackInstancesProperty(
                    deployment_targets=cloudformation.CfnStackSet.DeploymentTargetsProperty(
                        organizational_unit_ids=list(organization.targets)
                    ),
                    regions=list(regions),
                )
            ],
            template_body=body,
            template_url=url,
        )

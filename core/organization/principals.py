"""Who the organization's policies exempt, and why no administrator of a member account can become one of them.

Two kinds of exempt principal, each no wider than its job:

- **Setting writers**: the roles of the project's IAM path (`PROJECT_ROLE_PATH`): the configuration providers and the
  continuous audit when it repairs. Only they may put or delete a setting the project manages (the invocation
  logging configuration, the data retention mode). CloudFormation never calls Bedrock for this project: it creates
  the provider, and the provider calls Bedrock. So the CDK execution role needs no Bedrock exemption at all.
- **Deployers**: the roles CloudFormation deploys the project with. Per configured Region, the CDK bootstrap's
  execution role and the deploy role that passes it to CloudFormation, by their exact names
  (`cdk-<qualifier>-cfn-exec-role-<account>-<region>`, `cdk-<qualifier>-deploy-role-<account>-<region>`: the
  bootstrap template of the pinned CDK CLI, `node_modules/aws-cdk/lib/api/bootstrap/bootstrap-template.yaml`;
  the account part is a wildcard, as one SCP serves every account); with the organization rollout, the role
  service-managed StackSets deploys with in each member (`stacksets-exec-*`); and the exact roles of
  `scp_logging_admin_arns`. Only they may create, re-trust, pass, change, tag or delete a setting writer or a
  deployer, and change the project's tagged resources.

The chain argument (docs/compliance/threats.md): every exempt ARN pattern is also a resource of the statement that
denies `iam:CreateRole`, `iam:UpdateAssumeRolePolicy`, `iam:PassRole` and every policy, boundary, tag and delete
action to all but the deployers, so an administrator can neither create a role that matches a pattern nor make an
existing one act for them. StackSets creates `stacksets-exec-*` through its service-linked role, which SCPs do not
affect (AWS Organizations user guide, "Service control policies",
https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html: "SCPs don't affect
service-linked roles").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from core.invocation_logging.guard import PROJECT_ROLE_PATH
from core.organization.rollout import STACKSETS_EXECUTION_ROLE_PATTERN

# The bootstrap roles CloudFormation deploys with: the execution role it acts as, and the role that passes it.
CDK_DEPLOYMENT_ROLES = ("cfn-exec-role", "deploy-role")
SETTING_WRITERS = f"arn:*:iam::*:role{PROJECT_ROLE_PATH}*"


def cdk_deployment_roles(qualifier: str, regions: Iterable[str]) -> list[str]:
    """The CDK bootstrap's execution and deploy roles of each Region, in any account (the account part of the name
    is the account ID, which one SCP for many accounts cannot name)."""
    return [
        f"arn:*:iam::*:role/cdk-{qualifier}-{role}-*-{region}" for region in regions for role in CDK_DEPLOYMENT_ROLES
    ]


@dataclass(frozen=True)
class ExemptPrincipals:
    """The `aws:PrincipalArn` patterns each kind of statement exempts."""

    # May put or delete the managed settings.
    setting_writers: tuple[str, ...]
    # May create, change, pass or delete the exempt roles and change the project's tagged resources.
    deployers: tuple[str, ...]

    @property
    def protected_roles(self) -> tuple[str, ...]:
        """Every role whose creation or takeover would borrow an exemption."""
        return tuple(dict.fromkeys((*self.setting_writers, *self.deployers)))


def exempt_principals(
    *, qualifier: str, regions: Iterable[str], stack_sets: bool, extra_deployers: Iterable[str]
) -> ExemptPrincipals:
    deployers = [
        *cdk_deployment_roles(qualifier, regions),
        *([STACKSETS_EXECUTION_ROLE_PATTERN] if stack_sets else []),
        *extra_deployers,
    ]
    return ExemptPrincipals(setting_writers=(SETTING_WRITERS,), deployers=tuple(dict.fromkeys(deployers)))

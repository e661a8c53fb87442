"""The member baseline: what every account of the organization gets, in every Region, from one template.

`MemberBaselineStack` composes the constructs the single-account stacks use (`ClaudeInvocationLogging`, and with
`organization_member_access` `ClaudeInvocationAccess`), so the StackSet deploys nothing a reviewer has not seen
in the logging and access stacks. One template serves every account and Region of the StackSet:

- the account and Region are the pseudo parameters `AWS::AccountId` and `AWS::Region` (environment-agnostic stack;
  the logging construct receives `Aws.REGION`, so ARNs, Bedrock's confused-deputy conditions and service principals
  name the Region each instance is deployed in);
- what differs by Region beyond a name (the invocation policy, whose geographic destinations depend on the source
  Region) is one copy per configured Region, each under a condition on `AWS::Region`;
- IAM is global: the audit role exists in the first Region's instance only.

No asset: a member account has no CDK bootstrap bucket. `BootstraplessSynthesizer` refuses any file asset at
synthesis, the configuration provider is inline, and the continuous audit (whose package is a file asset) is left
out of the member baseline. `synthesize_member` builds it in its own app with every rule pack.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aws_cdk as cdk
from aws_cdk import Aws, CfnCondition, CfnOutput, Fn, Stack, Tags
from constructs import Construct

from core.config import AppConfig, DataRetentionConfig
from core.invocation_access.plan import RegionPlan
from core.invocation_logging.configuration import INVOCATION_LOG_PREFIX
from core.organization.rollout import MEMBER_STACK_NAME, REPLICATION_ROLE_PATH
from stacks.invocation_access.construct import ClaudeInvocationAccess, InvocationAccessProps
from stacks.invocation_logging.construct import ClaudeInvocationLogging, InvocationLoggingProps
from stacks.invocation_logging.stack import retention_outputs
from stacks.organization.audit_role import AuditRole
from stacks.shared.nag import add_rule_packs, is_rule_pack_failure


def _storage_read(data_retention: DataRetentionConfig) -> str | None:
    """The IAM action of GetAccountDataRetentionStorage when the storage is managed (the audit reads it), else None."""
    actions = data_retention.storage_actions
    return actions.get if data_retention.storage is not None and actions is not None else None


def _pascal(region: str) -> str:
    return "".join(part.capitalize() for part in region.split("-"))


@dataclass(frozen=True)
class MemberBaselineProps:
    """What `MemberBaselineStack` is built from (`member_baseline_props`: from the configuration and the plans)."""

    # The stack's description, as a member account's CloudFormation console shows it.
    description: str
    # The member's own invocation logging, in the Region each instance is deployed in (`Aws.REGION`).
    invocation_logging: InvocationLoggingProps
    # With `organization_member_access`: the invocation policy of each configured Region, planned for the member's
    # account; otherwise none.
    access: tuple[InvocationAccessProps, ...]
    # `organization_audit_role_name` and `organization_audit_principal` (None: no audit role).
    audit_role_name: str
    audit_principal: str | None
    # IAM is global: the audit role is created in the instances of this Region only (the first of `regions`).
    audit_role_region: str


def member_baseline_props(config: AppConfig, member_plans: Sequence[RegionPlan]) -> MemberBaselineProps:
    """The member baseline of `config`; `member_plans` are the Regions' plans for the member account
    (`DeploymentPlan.member_regions`), used with `organization_member_access`."""
    organization = config.organization
    # The member's own logging: as configured, copied to the organization's archive (if any) instead of
    # `log_replica_*`, and without the continuous audit, whose package is a file asset.
    member_logging = dataclasses.replace(
        config.logging, replica=organization.archive, audit_schedule_hours=0, audit_self_repair=False
    )
    return MemberBaselineProps(
        description=(
            "Claude on Amazon Bedrock, organization member baseline: model invocation logging of this Region "
            f"kept {config.logging.retention_days} days"
            + (f", replicated to {organization.archive.bucket_arn}" if organization.archive else "")
            + (", and the invocation policy" if organization.member_access else "")
            + f"; data retention mode {config.data_retention.mode_text}"
        ),
        invocation_logging=InvocationLoggingProps(
            invocation_logging=member_logging,
            alarms=config.alarms,
            data_retention=config.data_retention,
            region=Aws.REGION,
            replication_role_path=REPLICATION_ROLE_PATH,
        ),
        access=tuple(InvocationAccessProps(plan=plan, access=config.access) for plan in member_plans)
        if organization.member_access
        else (),
        audit_role_name=organization.audit_role_name,
        audit_principal=organization.audit_principal,
        audit_role_region=config.regions[0],
    )


class MemberBaselineStack(Stack):
    """Invocation logging (with its tamper detection and alarms); optionally the invocation policy, the audit role."""

    def __init__(self, scope: Construct, construct_id: str, *, props: MemberBaselineProps, **kwargs: Any) -> None:
        super().__init__(
            scope,
            construct_id,
            synthesizer=cdk.BootstraplessSynthesizer(),
            analytics_reporting=False,
            description=props.description,
            **kwargs,
        )
        self.invocation_logging = ClaudeInvocationLogging(
            self, "ClaudeInvocationLogging", props=props.invocation_logging
        )
        self._data_retention = props.invocation_logging.data_retention
        self._conditions: dict[str, CfnCondition] = {}
        self.access = {p.plan.region: self._access(p) for p in props.access}
        self.audit_role = (
            AuditRole(
                self,
                role_name=props.audit_role_name,
                trusted=props.audit_principal,
                condition=self.in_region(props.audit_role_region),
                retention_storage_read=_storage_read(props.invocation_logging.data_retention),
            )
            if props.audit_principal
            else None
        )
        self._outputs()

    def in_region(self, region: str) -> CfnCondition:
        """The condition that holds in the stack instances of `region` only."""
        if region not in self._conditions:
            self._conditions[region] = CfnCondition(
                self, f"In{_pascal(region)}", expression=Fn.condition_equals(Aws.REGION, region)
            )
        return self._conditions[region]

    def _access(self, props: InvocationAccessProps) -> ClaudeInvocationAccess:
        """The `ClaudeInvocationAccess` of one configured Region, created only in that Region's instances."""
        region = props.plan.region
        part = ClaudeInvocationAccess(self, f"ClaudeAccess{_pascal(region)}", props=props)
        for policy in part.policies:
            policy.node.default_child.cfn_options.condition = self.in_region(region)  # type: ignore[union-attr]
        output = CfnOutput(
            self,
            f"InvokePolicyArns{_pascal(region)}",
            value=",".join(policy.managed_policy_arn for policy in part.policies),
            description=f"Attach to any role or user that may invoke the allowed Claude models from {region}",
        )
        output.condition = self.in_region(region)
        return part

    def _outputs(self) -> None:
        storage = self.invocation_logging.storage
        CfnOutput(self, "InvocationLogBucketName", value=storage.bucket.bucket_name, description="Invocation logs (S3)")
        CfnOutput(self, "InvocationLogPrefix", value=f"{INVOCATION_LOG_PREFIX}/", description="Their key prefix")
        CfnOutput(
            self, "InvocationLogGroupName", value=storage.log_group.log_group_name, description="Invocation log group"
        )
        CfnOutput(
            self,
            "LoggingAlarmTopicArn",
            value=self.invocation_logging.alarms.alarm_topic.topic.topic_arn,
            description="Tamper-detection and delivery-failure notifications",
        )
        retention_outputs(self, self.invocation_logging, self._data_retention)
        if self.invocation_logging.replication is not None:
            CfnOutput(
                self,
                "LogReplicationRoleArn",
                value=self.invocation_logging.replication.role.role_arn,
                description="Replicates the logs to the organization's archive",
            )


@dataclass(frozen=True)
class MemberTemplate:
    """The member baseline as synthesized: its template, the file it was written to, and whether the packs passed."""

    template: dict[str, Any]
    path: Path
    outdir: Path
    passed_rule_packs: bool

    @property
    def body(self) -> str:
        """The template as the StackSet receives it: compact JSON (what counts against the 51,200-byte limit),
        without the resources' `Metadata` (the rule packs' acknowledgements, which CloudFormation ignores; they
        stay in the synthesized file, `path`, for reviewers and the compliance report)."""
        resources = {
            logical_id: {key: value for key, value in definition.items() if key != "Metadata"}
            for logical_id, definition in self.template["Resources"].items()
        }
        return json.dumps({**self.template, "Resources": resources}, separators=(",", ":"))

    @property
    def size(self) -> int:
        return len(self.body.encode())


def synthesize_member(
    config: AppConfig, member_plans: Sequence[RegionPlan], outdir: Path, feature_flags: dict[str, Any]
) -> MemberTemplate:
    """Synthesize the member baseline in an app of its own (written to `outdir`), with every rule pack.

    Its own app: the stack is never one of the app's deployable stacks (`cdk deploy --all` must not deploy it to
    the administrator account), and its template must exist before the organization stack embeds it. No path
    metadata and no version reporting: they would only add bytes to a template with a size limit.
    """
    # Over what the CDK CLI passes (it turns both on for the app's own stacks).
    lean = {"aws:cdk:enable-path-metadata": False, "aws:cdk:version-reporting": False}
    app = cdk.App(outdir=str(outdir), context=dict(feature_flags), post_cli_context=lean)
    stack = MemberBaselineStack(app, MEMBER_STACK_NAME, props=member_baseline_props(config, member_plans))
    Tags.of(stack).add("project", "claude-on-bedrock")
    add_rule_packs(app)
    passed = True
    try:
        app.synth()
    except RuntimeError as error:
        if not is_rule_pack_failure(error):
            raise
        passed = False
    path = outdir / f"{MEMBER_STACK_NAME}.template.json"
    return MemberTemplate(json.loads(path.read_text()), path, outdir, passed)

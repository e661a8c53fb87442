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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aws_cdk as cdk
from aws_cdk import Aws, CfnCondition, CfnOutput, Fn, Stack, Tags
from constructs import Construct

from core.config import AppConfig
from core.invocation_access.plan import plan_region
from core.invocation_logging.configuration import INVOCATION_LOG_PREFIX
from core.organization.rollout import MEMBER_STACK_NAME, REPLICATION_ROLE_PATH
from stacks.invocation_access.construct import ClaudeInvocationAccess
from stacks.invocation_logging.construct import ClaudeInvocationLogging
from stacks.organization.audit_role import AuditRole
from stacks.shared.nag import add_rule_packs


def _pascal(region: str) -> str:
    return "".join(part.capitalize() for part in region.split("-"))


class MemberBaselineStack(Stack):
    """Invocation logging (with its tamper detection and alarms); optionally the invocation policy, the audit role."""

    def __init__(self, scope: Construct, construct_id: str, *, config: AppConfig, **kwargs: Any) -> None:
        organization = config.organization
        super().__init__(
            scope,
            construct_id,
            synthesizer=cdk.BootstraplessSynthesizer(),
            analytics_reporting=False,
            description=(
                "Claude on Amazon Bedrock, organization member baseline: model invocation logging of this Region "
                f"kept {config.logging.retention_days} days"
                + (f", replicated to {organization.archive.bucket_arn}" if organization.archive else "")
                + (", and the invocation policy" if organization.member_access else "")
            ),
            **kwargs,
        )
        # The member's own logging: as configured, copied to the organization's archive (if any) instead of
        # `log_replica_*`, and without the continuous audit, whose package is a file asset.
        logging = dataclasses.replace(
            config.logging, replica=organization.archive, audit_schedule_hours=0, audit_self_repair=False
        )
        self.logging = ClaudeInvocationLogging(
            self,
            "ClaudeInvocationLogging",
            logging=logging,
            alarms=config.alarms,
            region=Aws.REGION,
            replication_role_path=REPLICATION_ROLE_PATH,
        )
        self._conditions: dict[str, CfnCondition] = {}
        self.access = self._access(config) if organization.member_access else {}
        self.audit_role = (
            AuditRole(
                self,
                role_name=organization.audit_role_name,
                trusted=organization.audit_principal,
                condition=self.in_region(config.regions[0]),
            )
            if organization.audit_principal
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

    def _access(self, config: AppConfig) -> dict[str, ClaudeInvocationAccess]:
        """One `ClaudeInvocationAccess` per configured Region, created only in that Region's instance."""
        access = {}
        for region in config.regions:
            plan = plan_region(
                models=config.models.allowed,
                endpoint_scope=config.models.endpoint_scope,
                region=region,
                account=Aws.ACCOUNT_ID,
                allow_streaming=config.access.allow_streaming,
                allow_marketplace_subscription=config.access.allow_marketplace_subscription,
            )
            part = ClaudeInvocationAccess(
                self,
                f"ClaudeAccess{_pascal(region)}",
                plan=plan,
                allow_marketplace_subscription=config.access.allow_marketplace_subscription,
            )
            for policy in part.policies:
                policy.node.default_child.cfn_options.condition = self.in_region(region)  # type: ignore[union-attr]
            output = CfnOutput(
                self,
                f"InvokePolicyArns{_pascal(region)}",
                value=",".join(policy.managed_policy_arn for policy in part.policies),
                description=f"Attach to any role or user that may invoke the allowed Claude models from {region}",
            )
            output.condition = self.in_region(region)
            access[region] = part
        return access

    def _outputs(self) -> None:
        storage = self.logging.storage
        CfnOutput(self, "InvocationLogBucketName", value=storage.bucket.bucket_name, description="Invocation logs (S3)")
        CfnOutput(self, "InvocationLogPrefix", value=f"{INVOCATION_LOG_PREFIX}/", description="Their key prefix")
        CfnOutput(
            self, "InvocationLogGroupName", value=storage.log_group.log_group_name, description="Invocation log group"
        )
        CfnOutput(
            self,
            "LoggingAlarmTopicArn",
            value=self.logging.alarms.topic.topic.topic_arn,
            description="Tamper-detection and delivery-failure notifications",
        )
        if self.logging.replication is not None:
            CfnOutput(
                self,
                "LogReplicationRoleArn",
                value=self.logging.replication.role.role_arn,
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
            logical_id: {key: value for key, value in resource.items() if key != "Metadata"}
            for logical_id, resource in self.template["Resources"].items()
        }
        return json.dumps({**self.template, "Resources": resources}, separators=(",", ":"))

    @property
    def size(self) -> int:
        return len(self.body.encode())


def synthesize_member(config: AppConfig, outdir: Path, feature_flags: dict[str, Any]) -> MemberTemplate:
    """Synthesize the member baseline in an app of its own (written to `outdir`), with every rule pack.

    Its own app: the stack is never one of the app's deployable stacks (`cdk deploy --all` must not deploy it to
    the administrator account), and its template must exist before the organization stack embeds it. No path
    metadata and no version reporting: they would only add bytes to a template with a size limit.
    """
    # Over what the CDK CLI passes (it turns both on for the app's own stacks).
    lean = {"aws:cdk:enable-path-metadata": False, "aws:cdk:version-reporting": False}
    app = cdk.App(outdir=str(outdir), context=dict(feature_flags), post_cli_context=lean)
    stack = MemberBaselineStack(app, MEMBER_STACK_NAME, config=config)
    Tags.of(stack).add("project", "claude-on-bedrock")
    add_rule_packs(app)
    passed = True
    try:
        app.synth()
    except RuntimeError as error:
        if "ValidationFailed" not in str(error):
            raise
        passed = False
    path = outdir / f"{MEMBER_STACK_NAME}.template.json"
    return MemberTemplate(json.loads(path.read_text()), path, outdir, passed)

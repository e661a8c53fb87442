"""The continuous audit: the checks of `python app.py audit`, run in the account on a schedule (`log_audit_*`).

One owner of the checks: the function's package is staged at synthesis from `lambda/log_audit/` (handler and run
logic), `compliance/audit/` (every check module; not `run.py`, the command line) and the few `core` modules they
read. No Docker, no second copy of the checks. Its role may do what `compliance/audit_policy.json` grants the
auditor, publish its metrics, and, with `log_audit_self_repair`, put this stack's configuration back.

A separable part: the one part of the logging stack with a file asset, so the organization rollout, whose member
template holds no assets, leaves it out.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from aws_cdk import Duration, RemovalPolicy, Stack, Stage
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from core.config import DataRetentionConfig, LoggingConfig
from core.invocation_logging.configuration import PUT_LOGGING_CONFIGURATION
from core.invocation_logging.guard import (
    AUDIT_METRIC_NAMESPACE,
    FAILED_CHECKS_METRIC,
    PROJECT_ROLE_PATH,
    REPAIRED_METRIC,
    UNREADABLE_CHECKS_METRIC,
)
from core.rule_packs import HIPAA, NIST
from stacks.invocation_logging.configuration import LoggingConfiguration
from stacks.invocation_logging.storage import BEDROCK, InvocationLogStorage
from stacks.shared.alarm_topic import AlarmTopic
from stacks.shared.audit_policy import acknowledge_wildcards, logging_audit_statements, no_resource_type_reason
from stacks.shared.lifetimes import retention_period
from stacks.shared.log_groups import allow_writing_log_streams
from stacks.shared.nag import acknowledge, acknowledge_in_regulatory_packs

ROOT = Path(__file__).resolve().parents[2]
# What the function's package holds: its own code root, and the modules the checks import (no command line).
PACKAGE_FILES = (
    ("lambda/log_audit/audit_handler.py", "audit_handler.py"),
    ("lambda/log_audit/continuous_audit.py", "continuous_audit.py"),
    ("compliance/__init__.py", "compliance/__init__.py"),
    ("compliance/aws.py", "compliance/aws.py"),
    ("core/__init__.py", "core/__init__.py"),
    ("core/invocation_logging/__init__.py", "core/invocation_logging/__init__.py"),
    ("core/invocation_logging/configuration.py", "core/invocation_logging/configuration.py"),
    ("core/invocation_logging/guard.py", "core/invocation_logging/guard.py"),
    ("core/data_retention/__init__.py", "core/data_retention/__init__.py"),
    ("core/data_retention/operations.py", "core/data_retention/operations.py"),
    ("core/catalog/__init__.py", "core/catalog/__init__.py"),
    ("core/catalog/scopes.py", "core/catalog/scopes.py"),
    ("core/data_retention/modes.py", "core/data_retention/modes.py"),
    ("core/data_retention/requests.py", "core/data_retention/requests.py"),
)
COMMAND_LINE_ONLY = ("run.py",)
RUNTIME = lambda_.Runtime.PYTHON_3_14


def stage_package(destination: Path) -> Path:
    """Copy the function's package into `destination` (emptied first); its path."""
    target = destination
    shutil.rmtree(target, ignore_errors=True)
    for source, name in PACKAGE_FILES:
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / source, target / name)
    (target / "compliance" / "audit").mkdir(parents=True, exist_ok=True)
    for module in sorted((ROOT / "compliance" / "audit").glob("*.py")):
        if module.name not in COMMAND_LINE_ONLY:
            shutil.copyfile(module, target / "compliance" / "audit" / module.name)
    return target


def _staging_directory(scope: Construct) -> Path:
    stage = Stage.of(scope)
    assert stage is not None, "a stack always belongs to an app (a Stage)"
    return Path(stage.outdir) / f".staging-log-audit-{Stack.of(scope).stack_name}"


class ContinuousAudit:
    """`LogAuditFunction`, its role and log group, its schedule, and the alarms on what it publishes."""

    def __init__(
        self,
        scope: Construct,
        *,
        invocation_logging: LoggingConfig,
        data_retention: DataRetentionConfig,
        configuration: LoggingConfiguration,
        storage: InvocationLogStorage,
        log_group_name: str,
        removal: RemovalPolicy,
        alarm_topic: AlarmTopic,
    ) -> None:
        stack = Stack.of(scope)
        hours = invocation_logging.audit_schedule_hours
        self.log_group = logs.LogGroup(
            scope,
            "LogAuditLogGroup",
            log_group_name=log_group_name,
            retention=retention_period(invocation_logging.retention_days),
            encryption_key=storage.key,
            removal_policy=removal,
        )
        self.policy = self._policy(scope, invocation_logging, configuration)
        if data_retention.storage is not None and data_retention.storage_actions is not None:
            # The storage record's read, whose IAM action the configuration names (no AWS page we could read does).
            self.policy.add_statements(
                iam.PolicyStatement(
                    sid="ReadRetentionStorage", actions=[data_retention.storage_actions.get], resources=["*"]
                )
            )
        self.role = iam.Role(
            scope,
            "LogAuditRole",
            description="Runs the continuous audit of invocation logging"
            + (", and puts the configuration back" if invocation_logging.audit_self_repair else " (read-only)"),
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            # With self-repair it changes the configuration: the project's path, which the SCP exempts.
            path=PROJECT_ROLE_PATH if invocation_logging.audit_self_repair else None,
            managed_policies=[self.policy],
        )
        self.function = lambda_.Function(
            scope,
            "LogAuditFunction",
            description=f"Checks every {hours} h that invocation logging is what this stack deployed",
            runtime=RUNTIME,
            architecture=lambda_.Architecture.ARM_64,
            handler="audit_handler.handler",
            # Staged inside the cloud assembly's directory; CDK then copies it as an asset named by its hash.
            code=lambda_.Code.from_asset(str(stage_package(_staging_directory(scope)))),
            role=self.role,
            timeout=Duration.minutes(5),
            memory_size=256,
            log_group=self.log_group,
            environment={
                "EXPECTED_RETENTION_DAYS": str(invocation_logging.retention_days),
                "EXPECTED_LOG_DATA": ",".join(invocation_logging.data),
                "LOGGING_CONFIGURATION": stack.to_json_string(configuration.logging_config),
                "SELF_REPAIR": json.dumps(invocation_logging.audit_self_repair),
                "EXPECTED_DATA_RETENTION_MODE": data_retention.mode_text,
                "EXPECTED_DATA_RETENTION_STORAGE": data_retention.storage_text,
            },
        )
        self.function.node.add_dependency(self.policy)
        _acknowledge_function(self.function, hours)
        self.schedule = events.Rule(
            scope,
            "LogAuditSchedule",
            description=f"Runs the continuous audit of invocation logging every {hours} h",
            schedule=events.Schedule.rate(Duration.hours(hours)),
            targets=[targets.LambdaFunction(self.function, retry_attempts=2)],
        )
        self.alarms = self._alarms(scope, invocation_logging, alarm_topic)

    def _policy(
        self, scope: Construct, invocation_logging: LoggingConfig, configuration: LoggingConfiguration
    ) -> iam.ManagedPolicy:
        stack = Stack.of(scope)
        # The auditor's read-only policy, as compliance/audit_policy.json grants it (test: exactly what it calls).
        audit = logging_audit_statements(stack.partition)
        statements = [iam.PolicyStatement.from_json(statement) for statement in audit]
        statements.append(
            iam.PolicyStatement(
                sid="PublishAuditMetrics",
                actions=["cloudwatch:PutMetricData"],
                resources=["*"],
                conditions={"StringEquals": {"cloudwatch:namespace": AUDIT_METRIC_NAMESPACE}},
            )
        )
        if invocation_logging.audit_self_repair:
            statements += [
                iam.PolicyStatement(
                    sid="PutTheConfigurationBack", actions=[f"bedrock:{PUT_LOGGING_CONFIGURATION}"], resources=["*"]
                ),
                iam.PolicyStatement(
                    sid="PassDeliveryRoleToBedrockOnly",
                    actions=["iam:PassRole"],
                    resources=[configuration.delivery_role.role_arn],
                    conditions={"StringEquals": {"iam:PassedToService": BEDROCK}},
                ),
            ]
        policy = iam.ManagedPolicy(
            scope,
            "LogAuditPolicy",
            description="Continuous audit of invocation logging: the auditor's read-only actions and its metrics"
            + (", and putting the configuration back" if invocation_logging.audit_self_repair else ""),
            statements=statements,
        )
        acknowledge_wildcards(policy, audit)
        repair = [f"bedrock:{PUT_LOGGING_CONFIGURATION}"] if invocation_logging.audit_self_repair else []
        acknowledge(
            policy,
            "AwsSolutions-IAM5[Resource::*]",
            no_resource_type_reason(audit, "cloudwatch:PutMetricData", *repair)
            + " cloudwatch:PutMetricData is limited to the audit's namespace by cloudwatch:namespace.",
        )
        allow_writing_log_streams(
            policy,
            self.log_group,
            sid="WriteOwnLogs",
            whose="the audit function's own log group",
            named_by="Lambda names each stream at run time",
        )
        return policy

    def _alarms(self, scope: Construct, invocation_logging: LoggingConfig, topic: AlarmTopic) -> list[cloudwatch.Alarm]:
        stack = Stack.of(scope)
        period = Duration.hours(invocation_logging.audit_schedule_hours)
        repair = "it puts the configuration back" if invocation_logging.audit_self_repair else "self-repair is off"

        def metric(name: str) -> cloudwatch.Metric:
            return cloudwatch.Metric(
                namespace=AUDIT_METRIC_NAMESPACE,
                metric_name=name,
                dimensions_map={"Region": stack.region},
                statistic="Maximum",
                period=period,
            )

        def any_in_a_period(construct_id: str, description: str, name: str) -> cloudwatch.Alarm:
            return cloudwatch.Alarm(
                scope,
                construct_id,
                alarm_description=description,
                metric=metric(name),
                threshold=1,
                evaluation_periods=1,
                comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            )

        alarms = [
            any_in_a_period(
                "LogAuditDriftAlarm",
                "The continuous audit found invocation logging not as deployed (see the function's log and the "
                f"CheckPassed metrics); {repair}",
                FAILED_CHECKS_METRIC,
            ),
            any_in_a_period(
                "LogAuditCannotReadAlarm",
                "The continuous audit could not read part of invocation logging (a call refused or failed, e.g. its "
                "role's permissions changed): those checks were not made, so logging is not known to be as "
                "deployed; see the function's log",
                UNREADABLE_CHECKS_METRIC,
            ),
            cloudwatch.Alarm(
                scope,
                "LogAuditNotRunningAlarm",
                alarm_description="The continuous audit of invocation logging has not reported for two of its "
                "periods: it was stopped, removed or fails",
                metric=metric(FAILED_CHECKS_METRIC).with_(statistic="SampleCount"),
                threshold=1,
                evaluation_periods=2,
                comparison_operator=cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
                treat_missing_data=cloudwatch.TreatMissingData.BREACHING,
            ),
        ]
        if invocation_logging.audit_self_repair:
            alarms.append(
                any_in_a_period(
                    "LogAuditRepairedAlarm",
                    "The continuous audit found the logging configuration deleted or changed and put the deployed "
                    "one back: find who changed it (CloudTrail, the tamper-detection notification)",
                    REPAIRED_METRIC,
                )
            )
        for alarm in alarms:
            topic.notify(alarm)
        return alarms


def _acknowledge_function(function: lambda_.Function, hours: int) -> None:
    acknowledge_in_regulatory_packs(
        function,
        "LambdaInsideVPC",
        "The function calls only AWS control-plane read APIs (and, with self-repair, Bedrock's configuration API) "
        "over TLS with SigV4 and IAM-scoped credentials; it holds no data and accepts no inbound connections.",
    )
    for pack in (HIPAA, NIST):
        acknowledge(
            function,
            f"{pack}-LambdaDLQ",
            "A failed run needs no replay: the next scheduled run audits again, and the LogAuditNotRunningAlarm "
            "treats the missing metrics of failed runs as breaching, so failures are alarmed rather than queued.",
        )
        acknowledge(
            function,
            f"{pack}-LambdaConcurrency",
            f"The schedule invokes the function once every {hours} h; reserving concurrency for it would take "
            "capacity from the account's other functions without limiting anything.",
        )

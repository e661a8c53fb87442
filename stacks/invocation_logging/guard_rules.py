"""The rules that hear every step that would blind the guards of invocation logging or destroy what they keep.

Four rules (`core.invocation_logging.guarded_resources`): `StorageGuardRule` (the buckets' policy, lifecycle,
versioning, Object Lock, replication, encryption and deletion; the log groups' retention and deletion, log stream
deletion), `KeysAndRolesGuardRule` (the keys' policy, disabling and scheduled deletion; the provider's, delivery,
audit and replication roles and their policies), `ProvidersGuardRule` (the provider and audit functions' code,
configuration and permissions; and `DetectorsGuardRule`, which cannot hear its own removal) and `DetectorsGuardRule`
(the logging stack's rules, alarms and topic; any trail of the account). Each notifies every topic of the logging
stack, `alarm_topic_arn` included: disabling the logging topic's key is heard through that topic, which does not
depend on the key.

The guard rules and `LoggingDeploymentRule` are named `claude-<stack UUID>-<purpose>`, so the detectors rule names
them all by one prefix and no rule depends on another. One alarm sums their failed deliveries.
"""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_events as events
from constructs import Construct

from core.invocation_logging.guarded_resources import (
    GUARD_INPUT_PATHS,
    GUARD_MESSAGE,
    GuardedResources,
    guard_event_patterns,
)
from stacks.invocation_logging.tamper_detection import TamperDetection, rule_name

# Rule names: 1 to 64 of letters, digits and ._- (AWS::Events::Rule schema): "claude-", a stack's UUID (36
# characters), "-" and a purpose of at most 10 characters.
RULE_IDS = {
    "storage": "StorageGuardRule",
    "keys-roles": "KeysAndRolesGuardRule",
    "providers": "ProvidersGuardRule",
    "detectors": "DetectorsGuardRule",
}
DESCRIPTIONS = {
    "storage": "the log buckets and log groups",
    "keys-roles": "the keys, and the roles and policies of the provider, delivery, audit and replication",
    "providers": "the provider and audit functions, and the detectors rule",
    "detectors": "the logging stack's rules, alarms and topic, and any trail of the account",
}


class GuardRules:
    """The four guard rules and `GuardRulesFailedInvocationsAlarm`, in `scope`."""

    def __init__(self, scope: Construct, *, detection: TamperDetection, resources: GuardedResources) -> None:
        """`resources` names what the rules watch (its `rule_prefix` is `rule_name_prefix()` and its
        `detectors_rule` is `rule_name("detectors")`)."""
        targets = detection.targets(GUARD_INPUT_PATHS, GUARD_MESSAGE)
        patterns = guard_event_patterns(resources)
        self.rules = {
            purpose: events.CfnRule(
                scope,
                construct_id,
                name=rule_name(purpose),
                description=f"Steps that blind or destroy invocation logging's guards: {DESCRIPTIONS[purpose]}",
                state="ENABLED",
                event_pattern=patterns[purpose],
                targets=targets,
            )
            for purpose, construct_id in RULE_IDS.items()
        }
        self.failed_deliveries = self._failed_deliveries(scope, detection)

    def _failed_deliveries(self, scope: Construct, detection: TamperDetection) -> cloudwatch.Alarm:
        # A named rule's Ref is its name; the alarm depends on the rules, which match alarms by a name prefix only.
        names = [detection.deployment_rule.ref, *(rule.ref for rule in self.rules.values())]
        metrics = {
            f"m{index}": cloudwatch.Metric(
                namespace="AWS/Events",
                metric_name="FailedInvocations",
                dimensions_map={"RuleName": name},
                statistic="Sum",
                period=Duration.minutes(5),
            )
            for index, name in enumerate(names)
        }
        alarm = cloudwatch.Alarm(
            scope,
            "GuardRulesFailedInvocationsAlarm",
            alarm_description="A deployment or guard rule of invocation logging could not deliver a notification",
            metric=cloudwatch.MathExpression(
                expression=f"SUM([{','.join(metrics)}])", using_metrics=metrics, period=Duration.minutes(5)
            ),
            threshold=1,
            evaluation_periods=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )
        detection.topic.notify(alarm)
        return alarm

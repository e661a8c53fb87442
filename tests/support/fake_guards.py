"""What guards invocation logging in the moto account of tests/support/fake_account.py, built with the stack's own
builders (`core.invocation_logging.guard`): the tamper rule and its topic with a confirmed subscription, the
delivery-failure alarms, a multi-Region trail; and EventBridge's TestEventPattern answered by moto's real pattern
matcher (moto's own TestEventPattern handler is a stub).
"""

from __future__ import annotations

import json
from typing import Any

from botocore.awsrequest import AWSResponse
from moto.events.models import EventPattern

from core.invocation_logging.guard import (
    BEDROCK_METRIC_NAMESPACE,
    DELIVERY_FAILURE_METRICS,
    TAMPER_INPUT_PATHS,
    TAMPER_MESSAGE,
    project_role_prefix,
    tamper_event_pattern,
)

ACCOUNT = "123456789012"  # moto's account

ALARM_EMAIL = "security@example.com"


def matches(pattern: str | dict[str, Any], event: str | dict[str, Any]) -> bool:
    """EventBridge's decision, by moto's implementation of the event-pattern matcher."""
    raw = pattern if isinstance(pattern, str) else json.dumps(pattern)
    return bool(EventPattern.load(raw).matches_event(json.loads(event) if isinstance(event, str) else event))


def answer_test_event_pattern(params: dict[str, Any], **_: Any) -> tuple[AWSResponse, dict[str, Any]]:
    """TestEventPattern answered by moto's matcher (`params` is the serialized request: a JSON body)."""
    request = json.loads(params["body"])
    response = AWSResponse("https://example.invalid", 200, {}, None)  # type: ignore[arg-type]
    return response, {"Result": matches(request["EventPattern"], request["Event"]), "ResponseMetadata": {}}


def deploy_guards(session: Any, region: str, account: str = ACCOUNT) -> str:
    """The tamper rule, the delivery-failure alarms, their topic with a confirmed subscription, and a trail."""
    sns = session.client("sns", region)
    topic = sns.create_topic(Name="claude-logging-alarms")["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="email", Endpoint=ALARM_EMAIL)
    events = session.client("events", region)
    pattern = tamper_event_pattern(project_role_prefix("aws", account))
    events.put_rule(Name="LoggingTamperRule", EventPattern=json.dumps(pattern), State="ENABLED")
    events.put_targets(
        Rule="LoggingTamperRule",
        Targets=[
            {
                "Id": "Topic0",
                "Arn": topic,
                "InputTransformer": {"InputPathsMap": TAMPER_INPUT_PATHS, "InputTemplate": TAMPER_MESSAGE},
            }
        ],
    )
    cloudwatch = session.client("cloudwatch", region)
    for metric in DELIVERY_FAILURE_METRICS:
        cloudwatch.put_metric_alarm(
            AlarmName=f"{metric}Alarm",
            MetricName=metric,
            Namespace=BEDROCK_METRIC_NAMESPACE,
            Statistic="Sum",
            Period=300,
            EvaluationPeriods=1,
            Threshold=1,
            ComparisonOperator="GreaterThanOrEqualToThreshold",
            TreatMissingData="notBreaching",
            ActionsEnabled=True,
            AlarmActions=[topic],
        )
    return topic


def deploy_trail(session: Any, bucket: str = "cloudtrail-of-the-account", region: str = "us-east-1") -> str:
    """A multi-Region trail recording all management events (the organization's or the account's), made in
    `region` (a trail per Region of one account: it covers that Region, and the other Regions as multi-Region)."""
    s3 = session.client("s3", region)
    location = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
    s3.create_bucket(Bucket=bucket, **location)
    cloudtrail = session.client("cloudtrail", region)
    arn = cloudtrail.create_trail(Name="management", S3BucketName=bucket, IsMultiRegionTrail=True)["TrailARN"]
    cloudtrail.put_event_selectors(
        TrailName=arn, EventSelectors=[{"ReadWriteType": "All", "IncludeManagementEvents": True}]
    )
    cloudtrail.start_logging(Name=arn)
    return str(arn)

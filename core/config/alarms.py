"""Configuration section `alarm_*`: who hears the alarms of the logging and invoker stacks.

Every alarm topic of the app (`stacks/shared/alarm_topic.py`) sends to the e-mail addresses of `alarm_emails`,
and alarms and the tamper-detection rule also notify an existing topic (`alarm_topic_arn`: ChatOps, a central security
account). An EventBridge rule can target only a topic in its own Region (AWS Knowledge Center,
"sns-not-getting-eventbridge-notification"), so with several `regions` the ARN names `{region}` in place of the
Region and each Region's stacks notify that Region's topic.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from core.catalog.scopes import partition_of
from core.config.values import as_list, as_optional_text, fail

DEFAULTS: dict[str, Any] = {
    "alarm_emails": [],
    "alarm_topic_arn": None,
}

REGION_PLACEHOLDER = "{region}"
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
_TOPIC_ARN = re.compile(
    r"^arn:(aws[a-z-]*):sns:([a-z]{2}(?:-gov)?-[a-z]+-\d|\{region\}):(\d{12}):([A-Za-z0-9_-]{1,256})$"
)


@dataclass(frozen=True)
class AlarmsConfig:
    """Who is told when an alarm fires or the logging configuration changes."""

    emails: tuple[str, ...]
    topic_arn: str | None

    def topic_arn_in(self, region: str) -> str | None:
        """The existing topic the stacks of `region` notify, or None."""
        return self.topic_arn.replace(REGION_PLACEHOLDER, region) if self.topic_arn else None


def parse_alarms(raw: Mapping[str, Any], regions: tuple[str, ...]) -> AlarmsConfig:
    emails: list[str] = []
    for item in as_list("alarm_emails", raw["alarm_emails"]):
        if not isinstance(item, str) or not _EMAIL.match(item):
            raise fail("alarm_emails", item, "e-mail addresses such as security@example.com")
        emails.append(item)
    topic = as_optional_text(
        "alarm_topic_arn",
        raw["alarm_topic_arn"],
        _TOPIC_ARN,
        "an SNS topic ARN such as arn:aws:sns:us-east-1:111122223333:security-alarms ({region} for the Region "
        "with several regions), or unset",
    )
    if topic is not None:
        match = _TOPIC_ARN.match(topic)
        assert match
        partition, region = match.group(1), match.group(2)
        if partition != partition_of(regions[0]):
            raise fail("alarm_topic_arn", topic, f"a topic in the partition of regions ({partition_of(regions[0])})")
        if region != REGION_PLACEHOLDER and regions != (region,):
            raise fail(
                "alarm_topic_arn",
                topic,
                "a topic in the Region of the alarms (an EventBridge rule targets only its own Region's topics): "
                f"with regions {', '.join(regions)} write {REGION_PLACEHOLDER} in place of the Region, e.g. "
                f"arn:{partition}:sns:{REGION_PLACEHOLDER}:{match.group(3)}:{match.group(4)}",
            )
    return AlarmsConfig(emails=tuple(dict.fromkeys(emails)), topic_arn=topic)

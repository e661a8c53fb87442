"""The keys of the logging guarantee: who hears alarms (`alarm_*`), the continuous audit and the break-glass
principal (`log_*`), and what the printed SCPs allow (`scp_*`)."""

from __future__ import annotations

import pytest

from core.config import ConfigError
from tests.support.project import config_for

TOPIC = "arn:aws:sns:us-east-1:111122223333:security-alarms"


def test_alarm_recipients_are_parsed_and_deduplicated() -> None:
    config = config_for(alarm_emails="sec@example.com,ops@example.org,sec@example.com", alarm_topic_arn=TOPIC)
    assert config.alarms.emails == ("sec@example.com", "ops@example.org")
    assert config.alarms.topic_arn_in("us-east-1") == TOPIC


def test_a_topic_per_region_is_named_with_a_placeholder() -> None:
    config = config_for(
        regions=["us-east-1", "us-west-2"], alarm_topic_arn="arn:aws:sns:{region}:111122223333:security-alarms"
    )
    assert config.alarms.topic_arn_in("us-west-2") == "arn:aws:sns:us-west-2:111122223333:security-alarms"


@pytest.mark.parametrize(
    ("context", "message"),
    [
        (
            {"regions": ["us-east-1", "us-west-2"], "alarm_topic_arn": TOPIC},
            "alarm_topic_arn: 'arn:aws:sns:us-east-1:111122223333:security-alarms' is not valid; allowed: a topic in "
            "the Region of the alarms (an EventBridge rule targets only its own Region's topics): with regions "
            "us-east-1, us-west-2 write {region} in place of the Region, e.g. "
            "arn:aws:sns:{region}:111122223333:security-alarms",
        ),
        ({"alarm_topic_arn": TOPIC.replace("us-east-1", "eu-west-1")}, "alarm_topic_arn: 'arn:aws:sns:eu-west-1"),
        (
            {"alarm_topic_arn": "arn:aws-cn:sns:{region}:111122223333:alarms"},
            "alarm_topic_arn: 'arn:aws-cn:sns:{region}:111122223333:alarms' is not valid; allowed: a topic in the "
            "partition of regions (aws)",
        ),
        ({"alarm_emails": ["sec@example"]}, "alarm_emails: 'sec@example' is not valid; allowed: e-mail addresses"),
        (
            {"log_audit_schedule_hours": 0, "log_audit_self_repair": True},
            "log_audit_self_repair: True is not valid; allowed: false while log_audit_schedule_hours is 0",
        ),
        (
            {"scp_logging_admin_arns": []},
            "scp_logging_admin_arns: [] is not valid; allowed: one or more role ARN patterns",
        ),
        (
            {"scp_logging_admin_arns": ["arn:aws:iam::*:user/deployer"]},
            "scp_logging_admin_arns: 'arn:aws:iam::*:user/deployer' is not valid; allowed: IAM role ARN patterns",
        ),
    ],
    ids=[
        "plain-arn-several-regions",
        "other-region",
        "other-partition",
        "email",
        "repair-without-audit",
        "no-admin",
        "user",
    ],
)
def test_bad_guard_values_are_refused_in_one_line(context: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError) as error:
        config_for(**context)
    assert str(error.value).startswith(message), str(error.value)


def test_the_audit_can_be_switched_off_and_repair_switched_on() -> None:
    assert config_for(log_audit_schedule_hours="0").logging.audit_schedule_hours == 0
    config = config_for(log_audit_schedule_hours=6, log_audit_self_repair="true")
    assert (config.logging.audit_schedule_hours, config.logging.audit_self_repair) == (6, True)


def test_a_break_glass_role_and_scp_choices_are_read() -> None:
    config = config_for(
        log_break_glass_principal="arn:aws:iam::111122223333:role/LogBreakGlass",
        scp_logging_admin_arns=["arn:aws:iam::111122223333:role/Deployer"],
        scp_allow_unlogged_endpoint="true",
        scp_deny_api_keys="false",
    )
    assert config.logging.break_glass_principal == "arn:aws:iam::111122223333:role/LogBreakGlass"
    assert config.scp.logging_admin_arns == ("arn:aws:iam::111122223333:role/Deployer",)
    assert (config.scp.allow_unlogged_endpoint, config.scp.deny_api_keys) == (True, False)

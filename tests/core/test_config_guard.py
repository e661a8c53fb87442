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
            # The default of earlier versions: a pattern an administrator satisfies with iam:CreateRole.
            {"scp_logging_admin_arns": ["arn:*:iam::*:role/cdk-*-cfn-exec-role-*"]},
            "scp_logging_admin_arns: 'arn:*:iam::*:role/cdk-*-cfn-exec-role-*' is not valid; allowed: exact role "
            "ARNs (no * or ? after role/): a pattern is matched by a role an administrator can create "
            "(iam:CreateRole); the project's roles and the CDK deployment roles are exempt without this key, see "
            "docs/platform/access.md#who-the-scps-exempt",
        ),
        (
            {"scp_logging_admin_arns": ["arn:*:iam::*:role/claude-on-bedrock/*"]},
            "scp_logging_admin_arns: 'arn:*:iam::*:role/claude-on-bedrock/*' is not valid; allowed: exact role ARNs",
        ),
        (
            {"scp_deploy_role_principals": ["arn:aws:iam::111122223333:role/pipeline-?"]},
            "scp_deploy_role_principals: 'arn:aws:iam::111122223333:role/pipeline-?' is not valid; allowed: exact",
        ),
        (
            {"scp_logging_admin_arns": ["arn:aws:iam::*:user/deployer"]},
            "scp_logging_admin_arns: 'arn:aws:iam::*:user/deployer' is not valid; allowed: IAM role ARNs",
        ),
        (
            {"scp_allow_unlogged_inference": ["Converse"]},
            "scp_allow_unlogged_inference: 'Converse' is not valid; allowed: CreateModelInvocationJob, InvokeAgent, "
            "InvokeInlineAgent, InvokeFlow, StartFlowExecution, RetrieveAndGenerate",
        ),
        (
            {"scp_data_retention_storage_actions": ["bedrock:Put*"]},
            "scp_data_retention_storage_actions: 'bedrock:Put*' is not valid; allowed: IAM actions of Amazon Bedrock "
            "without wildcards",
        ),
        (
            {"scp_cdk_qualifier": "my-qualifier"},
            "scp_cdk_qualifier: 'my-qualifier' is not valid; allowed: the qualifier of `cdk bootstrap`",
        ),
    ],
    ids=[
        "plain-arn-several-regions",
        "other-region",
        "other-partition",
        "email",
        "repair-without-audit",
        "borrowable-execution-role-pattern",
        "borrowable-path-pattern",
        "deployer-pattern",
        "user",
        "logged-operation",
        "storage-action-wildcard",
        "qualifier",
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
        scp_logging_admin_arns=["arn:aws:iam::111122223333:role/Deployer", "arn:*:iam::*:role/ops/Bootstrapper"],
        scp_cdk_qualifier="custom01",
        scp_deploy_role_principals="arn:aws:iam::111122223333:role/pipeline",
        scp_allow_unlogged_endpoint="true",
        scp_allow_unlogged_inference="CreateModelInvocationJob,InvokeAgent,CreateModelInvocationJob",
        scp_deny_api_keys="false",
        scp_data_retention_storage_actions=["bedrock:PutAccountDataRetentionStorage"],
    )
    assert config.logging.break_glass_principal == "arn:aws:iam::111122223333:role/LogBreakGlass"
    assert config.scp.logging_admin_arns == (
        "arn:aws:iam::111122223333:role/Deployer",
        "arn:*:iam::*:role/ops/Bootstrapper",
    )
    assert (config.scp.cdk_qualifier, config.scp.deploy_role_principals) == (
        "custom01",
        ("arn:aws:iam::111122223333:role/pipeline",),
    )
    assert (config.scp.allow_unlogged_endpoint, config.scp.deny_api_keys) == (True, False)
    assert config.scp.allow_unlogged_inference == ("CreateModelInvocationJob", "InvokeAgent")
    assert config.scp.data_retention_storage_actions == ("bedrock:PutAccountDataRetentionStorage",)

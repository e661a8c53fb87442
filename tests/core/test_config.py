"""Every configuration key, and every way a value can be wrong: one line naming key, value and what is allowed."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from core.config import DEFAULTS, KEYS, REMOVED_KEYS, RENAMED_KEYS, ConfigError, load_config
from tests.support.project import PROJECT_CONTEXT, ROOT, TEST_DAY, config_for

CONFIGURATION_DOC = ROOT / "docs" / "platform" / "configuration.md"
# log_retention_days' rule as CloudWatch Logs states it (PutRetentionPolicy's retentionInDays: 1, 3, 5, 7, 14, 30, 60,
# 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653), from 30 days up.
RETENTION_RULE = (
    "a CloudWatch Logs retention period of at least 30 days: 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, "
    "1827, 2192, 2557, 2922, 3288, 3653"
)


def test_cdk_json_lists_every_key_with_its_default_and_the_docs_describe_it() -> None:
    assert set(PROJECT_CONTEXT) == set(DEFAULTS) == set(KEYS)
    # cdk.json repeats the defaults: the configuration it gives is the one of an empty context.
    assert config_for() == load_config({}, today=TEST_DAY)
    text = CONFIGURATION_DOC.read_text()
    for key in KEYS:
        assert f"`{key}`" in text, f"{CONFIGURATION_DOC.relative_to(ROOT)} does not document the key {key}"


def test_defaults_give_a_global_current_default_model() -> None:
    config = load_config({}, today=TEST_DAY)
    assert config.account is None
    assert config.regions == ("us-east-1",)
    assert config.models.endpoint_scope == "global"
    # Current, open to every account, no data retention required, logged, offered under every current scope
    # (docs/platform/models.md, "The defaults").
    assert [m.alias for m in config.models.allowed] == ["claude-haiku-5-5", "claude-opus-4-8"]
    assert config.invoker.default_model.alias == "claude-haiku-5-5"
    for model in config.models.allowed:
        assert model.scopes == {"global", "us", "eu", "jp", "au"}
        assert not model.gated and not model.retention_modes and model.logged
    assert config.invoker.default_model.offered_in("global")
    assert config.invoker.default_model.lifecycle.status_on(TEST_DAY) == "active"
    assert (config.access.role_principals, config.access.role_external_id) == ((), None)
    assert (config.access.allow_streaming, config.access.allow_marketplace_subscription) == (True, False)
    assert (config.logging.retention_days, config.logging.data) == (30, ("text", "image"))
    assert (config.logging.removal_policy, config.logging.keep_configuration_on_delete) == ("retain", True)
    # Object Lock in governance mode for the logs' own 30 days: only the break-glass principal may bypass it.
    assert (config.logging.object_lock, config.logging.object_lock_days, config.logging.replica) == (
        "governance",
        30,
        None,
    )
    assert (config.invoker.memory_mb, config.invoker.timeout_seconds, config.invoker.vpc) == (512, 900, False)
    # Bedrock's own service tier and latency mode unless configured; answers kept as long as SQS can keep them.
    assert (config.invoker.service_tier, config.invoker.latency, config.invoker.results_retention_days) == (
        None,
        None,
        14,
    )
    assert (config.alarms.emails, config.alarms.topic_arn) == ((), None)
    assert (config.logging.audit_schedule_hours, config.logging.audit_self_repair) == (1, False)
    assert config.logging.break_glass_principal is None
    # No exemption by pattern: the project's roles and the CDK bootstrap's roles of the default qualifier only.
    assert (config.scp.logging_admin_arns, config.scp.cdk_qualifier, config.scp.deploy_role_principals) == (
        (),
        "hnb659fds",
        (),
    )
    assert (config.scp.allow_unlogged_endpoint, config.scp.allow_unlogged_inference) == (False, ())
    assert (config.scp.deny_api_keys, config.scp.data_retention_storage_actions) == (True, ())


def test_values_from_the_command_line_are_parsed() -> None:
    config = config_for(
        regions="eu-west-1,eu-central-1",
        endpoint_scope="eu",
        models='["claude-sonnet-4-5"]',
        invoker_default_model="anthropic.claude-sonnet-4-5-20250929-v1:0",
        log_retention_days="90",
        access_allow_streaming="false",
        access_allow_marketplace_subscription="true",
        access_role_principals="444455556666,arn:aws:iam::444455556666:role/app,444455556666",
        access_role_external_id="claude-callers",
        log_keep_configuration_on_delete="false",
        invoker_reserved_concurrency="20",
        invoker_service_tier="flex",
        invoker_latency="optimized",
        invoker_results_retention_days="3",
        account="123456789012",
    )
    assert config.regions == ("eu-west-1", "eu-central-1")
    assert [m.alias for m in config.models.allowed] == ["claude-sonnet-4-5"]
    assert config.invoker.default_model.alias == "claude-sonnet-4-5"
    assert config.logging.retention_days == 90
    assert (config.access.allow_streaming, config.access.allow_marketplace_subscription) == (False, True)
    # Duplicates dropped, order kept.
    assert config.access.role_principals == ("444455556666", "arn:aws:iam::444455556666:role/app")
    assert config.access.role_external_id == "claude-callers"
    assert config.logging.keep_configuration_on_delete is False
    assert config.invoker.reserved_concurrency == 20
    assert (config.invoker.service_tier, config.invoker.latency, config.invoker.results_retention_days) == (
        "flex",
        "optimized",
        3,
    )
    assert config.account == "123456789012"


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        # The whole rule the first time: at least 30 days, and only CloudWatch Logs' periods.
        ("log_retention_days", 7, f"log_retention_days: 7 is not valid; allowed: {RETENTION_RULE}"),
        ("log_retention_days", 45, f"log_retention_days: 45 is not valid; allowed: {RETENTION_RULE}"),
        ("log_retention_days", "thirty", "log_retention_days: 'thirty' is not valid"),
        ("endpoint_scope", "mars", "endpoint_scope: 'mars' is not valid; allowed: global, us, eu, jp, apac, au"),
        ("regions", ["us-east-1", "us-east-1"], "regions: ['us-east-1', 'us-east-1'] is not valid; allowed: each"),
        ("regions", [], "regions: [] is not valid; allowed: one or more Region names"),
        ("regions", ["moon-1"], "regions: 'moon-1' is not valid; allowed: Region names such as us-east-1"),
        ("account", "12345", "account: '12345' is not valid; allowed: a 12-digit AWS account ID"),
        ("models", ["claude-sonnet-9"], "models: unknown model 'claude-sonnet-9'; allowed: "),
        ("models", "[not json", "models: '[not json' is not valid; allowed: a JSON list"),
        ("invoker_default_model", "claude-3-haiku", "invoker_default_model: 'claude-3-haiku' is not valid; allowed: "),
        ("access_allow_streaming", "yes", "access_allow_streaming: 'yes' is not valid; allowed: true or false"),
        (
            "log_data",
            ["text", "smell"],
            "log_data: 'smell' is not valid; allowed: text, image, embedding, video, audio",
        ),
        ("log_object_lock", "forever", "log_object_lock: 'forever' is not valid; allowed: off, governance, compliance"),
        ("log_removal_policy", "snapshot", "log_removal_policy: 'snapshot' is not valid; allowed: retain, destroy"),
        ("access_role_principals", ["bob"], "access_role_principals: 'bob' is not valid; allowed: 12-digit account"),
        ("access_role_external_id", "a b", "access_role_external_id: 'a b' is not valid; allowed: 2-1224 characters"),
        ("invoker_callers", ["arn:aws:s3:::bucket"], "invoker_callers: 'arn:aws:s3:::bucket' is not valid"),
        ("invoker_memory_mb", 64, "invoker_memory_mb: 64 is not valid; allowed: an integer from 128 to 10240"),
        ("invoker_timeout_seconds", 901, "invoker_timeout_seconds: 901 is not valid; allowed: an integer from 30 to"),
        ("invoker_reserved_concurrency", 0, "invoker_reserved_concurrency: 0 is not valid"),
        (
            "invoker_service_tier",
            "standard_only",
            "invoker_service_tier: 'standard_only' is not valid; allowed: priority, default, flex, reserved",
        ),
        ("invoker_latency", "fast", "invoker_latency: 'fast' is not valid; allowed: standard, optimized"),
        (
            "invoker_results_retention_days",
            15,
            "invoker_results_retention_days: 15 is not valid; allowed: an integer from 1 to 14",
        ),
        (
            "extra_models",
            [{"alias": "x"}],
            "extra_models[x]: missing field 'model_id'; fields: alias, model_id, profiles, name?, context_window?, "
            "api?",
        ),
        (
            "log_replica_bucket_arn",
            "my-log-archive",
            "log_replica_bucket_arn: 'my-log-archive' is not valid; allowed: an S3 bucket ARN such as arn:aws:s3:::",
        ),
        (
            "log_replica_bucket_arn",
            "arn:aws:s3:::my-log-archive",
            "log_replica_kms_key_arn: '' is not valid; allowed: the ARN of the replica bucket's KMS key, required with",
        ),
        (
            "log_replica_kms_key_arn",
            "arn:aws:kms:eu-central-1:444455556666:alias/logs",
            "log_replica_kms_key_arn: 'arn:aws:kms:eu-central-1:444455556666:alias/logs' is not valid; allowed: a KMS "
            "key ARN",
        ),
        (
            "log_replica_kms_key_arn",
            "arn:aws:kms:eu-central-1:444455556666:key/1234",
            "log_replica_kms_key_arn: 'arn:aws:kms:eu-central-1:444455556666:key/1234' is not valid; allowed: unset "
            "when log_replica_bucket_arn is unset",
        ),
        ("log_replica_account", "4444", "log_replica_account: '4444' is not valid; allowed: a 12-digit AWS account"),
    ],
)
def test_each_bad_value_names_key_value_and_allowed(key: str, value: Any, message: str) -> None:
    with pytest.raises(ConfigError) as error:
        config_for(**{key: value})
    text = str(error.value)
    assert text.startswith(message), text
    assert "\n" not in text


def test_a_misspelt_key_is_refused_with_the_closest_keys_and_the_page_of_every_key() -> None:
    with pytest.raises(ConfigError) as error:
        config_for(log_retention=7)
    assert str(error.value) == (
        "log_retention: unknown configuration key; closest: log_retention_days, data_retention_mode; every key: "
        "docs/platform/configuration.md"
    )
    with pytest.raises(ConfigError) as error:
        config_for(invoker_memory=1024)
    assert str(error.value).startswith(
        "invoker_memory: unknown configuration key; closest: invoker_memory_mb, invoker_latency, "
    )


@pytest.mark.parametrize("key", [*KEYS, "x" * 300 + "_key"])
def test_an_unknown_key_line_stays_within_200_characters(key: str) -> None:
    """Whatever the key (a typo of each of ours, or a very long one), the printed line fits in 200 characters."""
    typo = key[:-1] + "_" if key in KEYS else key
    with pytest.raises(ConfigError) as error:
        config_for(**{typo: 1})
    line = f"Configuration error: {error.value}"
    assert "unknown configuration key; closest: " in line and line.endswith("docs/platform/configuration.md")
    assert len(line) <= 200, line


# The keys renamed so that each name says which part it configures: old name -> new name (same values).
RENAMED = {
    "invoker_principals": "access_role_principals",
    "invoker_external_id": "access_role_external_id",
    "allow_streaming": "access_allow_streaming",
    "allow_marketplace_subscription": "access_allow_marketplace_subscription",
    "keep_logging_configuration_on_delete": "log_keep_configuration_on_delete",
    "default_model": "invoker_default_model",
}
# A value each new key accepts: the old key is refused even with a good value, never silently ignored.
GOOD_VALUE = {
    "access_role_principals": ["444455556666"],
    "access_role_external_id": "claude-callers",
    "access_allow_streaming": False,
    "access_allow_marketplace_subscription": True,
    "log_keep_configuration_on_delete": False,
    "invoker_default_model": "claude-opus-4-8",
}


def test_the_renamed_table_covers_every_renamed_key() -> None:
    assert RENAMED == RENAMED_KEYS
    assert set(RENAMED.values()) <= set(KEYS) and not set(RENAMED) & set(KEYS)


@pytest.mark.parametrize(("old", "new"), RENAMED.items())
def test_a_renamed_key_is_refused_naming_its_new_key(old: str, new: str) -> None:
    assert config_for(**{new: GOOD_VALUE[new]})  # the value itself is fine under the new key
    with pytest.raises(ConfigError) as error:
        config_for(**{old: GOOD_VALUE[new]})
    message = str(error.value)
    assert message == f"{old}: renamed to '{new}'; use that key (same values)"


# Keys that configure nothing any more, with a value an old cdk.json holds: refused, saying why, never ignored.
REMOVED = {
    "invoker_powertools_layer_version": 38,
    "powertools_layer_version": 38,  # the name before invoker_powertools_layer_version
}


def test_the_removed_table_covers_every_removed_key() -> None:
    assert set(REMOVED) == set(REMOVED_KEYS)
    assert not set(REMOVED) & set(KEYS) and not set(REMOVED) & set(RENAMED_KEYS)


@pytest.mark.parametrize(("key", "value"), REMOVED.items())
def test_a_removed_key_is_refused_in_one_line_saying_why(key: str, value: int) -> None:
    with pytest.raises(ConfigError) as error:
        config_for(**{key: value})
    message = str(error.value)
    assert message.startswith(f"{key}: no longer used (") and message.endswith("); remove the key")
    assert "Powertools" in message and "\n" not in message


def test_cdk_context_keys_that_are_not_ours_pass() -> None:
    config = config_for(
        **{
            "@aws-cdk/core:newStyleStackSynthesis": True,
            "aws:cdk:enable-path-metadata": True,
            "acknowledged-issue-numbers": [1],
            "availability-zones:account=1:region=us-east-1": ["us-east-1a"],
        }
    )
    assert config.regions == ("us-east-1",)


def test_region_outside_the_geography_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"^models: claude-haiku-5-5 is not offered under 'eu' from us-east-1 "):
        config_for(endpoint_scope="eu", regions=["us-east-1"])


def test_app_prints_one_line_and_no_traceback_for_a_bad_value_a_renamed_or_a_removed_key(tmp_path: Path) -> None:
    cases = (
        ('{"log_retention_days": 7}', f"log_retention_days: 7 is not valid; allowed: {RETENTION_RULE}"),
        ('{"default_model": "claude-haiku-4-5"}', "default_model: renamed to 'invoker_default_model'; use that key"),
        ('{"invoker_powertools_layer_version": 38}', "invoker_powertools_layer_version: no longer used ("),
    )
    # One app.py process per case, all started at once. The configuration is read before jsii starts: with a Node.js
    # that does not exist, the error is still the one line.
    processes = [
        subprocess.Popen(
            [sys.executable, "app.py"],
            cwd=ROOT,
            env={**os.environ, "CDK_CONTEXT_JSON": context, "JSII_NODE": str(tmp_path / "no-node")},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for context, _ in cases
    ]
    for process, (_, line) in zip(processes, cases, strict=True):
        _, stderr = process.communicate(timeout=120)
        assert process.returncode == 2
        assert stderr.strip().startswith(f"Configuration error: {line}")
        assert len(stderr.strip().splitlines()) == 1
        assert "Traceback" not in stderr


# One wrong value for every key: each must be refused with a message that starts with the key's name.
WRONG_VALUE_PER_KEY = {
    "account": "not-an-account",
    "regions": "us-east-1,nowhere",
    "endpoint_scope": "moon",
    "models": [],
    "extra_models": "[{}]",
    "allow_non_runtime_models": "perhaps",
    "allow_gated_models": "if invited",
    "access_role_principals": ["*"],
    "access_role_external_id": "x",
    "access_allow_streaming": "maybe",
    "access_allow_marketplace_subscription": 1,
    "log_retention_days": 29,
    "log_data": [],
    "log_object_lock": "on",
    "log_object_lock_days": 0,
    "log_removal_policy": "keep",
    "log_keep_configuration_on_delete": "no",
    "log_replica_bucket_arn": "my-bucket",
    "log_replica_kms_key_arn": "alias/logs",
    "log_replica_account": "123",
    "invoker_default_model": "claude-nothing",
    "invoker_callers": ["everyone"],
    "invoker_memory_mb": "lots",
    "invoker_timeout_seconds": 10,
    "invoker_reserved_concurrency": -1,
    "invoker_log_prompts": "sometimes",
    "invoker_vpc": "yes",
    "guardrails": "[{}]",
    "invoker_guardrail": "none-defined",
    "teams": [{"name": "data"}],
    "alarm_emails": ["not-an-address"],
    "alarm_topic_arn": "security-alarms",
    "budget_monthly_usd": "-5",
    "usage_prices": "cheap",
    "quota_tokens_per_minute": ["claude-sonnet-4-6"],
    "quota_alarm_fraction": "1.5",
    "cost_export": "sometimes",
    "scp_logging_admin_arns": ["Deployer"],
    "scp_cdk_qualifier": "hnb*",
    "scp_deploy_role_principals": ["arn:aws:iam::111122223333:role/ci-*"],
    "scp_allow_unlogged_endpoint": "sometimes",
    "scp_allow_unlogged_inference": ["InvokeModel"],
    "scp_deny_api_keys": "maybe",
    "scp_data_retention_storage_actions": ["bedrock:*"],
    "log_break_glass_principal": "BreakGlass",
    "log_audit_schedule_hours": 25,
    "log_audit_self_repair": "yes",
    "data_retention_mode": "zero",
    "data_retention_storage": "bucket",
    "data_retention_storage_actions": ["bedrock:PutStorage"],
    "invoker_service_tier": "auto",
    "invoker_latency": "low",
    "invoker_results_retention_days": 0,
    "invoker_function_url": "sometimes",
    "organization_targets": ["ou-123"],
    "organization_id": "org-1",
    "organization_call_as": "ADMIN",
    "organization_region_concurrency": "ALL",
    "organization_max_concurrent": "0",
    "organization_failure_tolerance": "101%",
    "organization_concurrency_mode": "LOOSE",
    "organization_retain_stacks_on_removal": "keep",
    "organization_member_access": "yes",
    "organization_archive_bucket_arn": "archive",
    "organization_archive_kms_key_arn": "alias/archive",
    "organization_archive_account": "123",
    "organization_audit_role_name": "bad role",
    "organization_audit_principal": "everyone",
    "organization_audit_workers": 0,
    "organization_scps": "attach",
    "organization_rcps": "no",
}


def test_the_table_covers_every_key() -> None:
    assert set(WRONG_VALUE_PER_KEY) == set(KEYS)


@pytest.mark.parametrize(("key", "value"), WRONG_VALUE_PER_KEY.items())
def test_every_key_refuses_a_wrong_value_naming_itself(key: str, value: Any) -> None:
    with pytest.raises(ConfigError) as error:
        config_for(**{key: value})
    message = str(error.value)
    # The key, or the key and the object of its list (`teams[data]: missing field ...`).
    assert re.match(rf"^{re.escape(key)}(\[[^\]]+\])?: ", message), message
    assert "allowed: " in message or "fields: " in message
    assert "\n" not in message

"""Every documented key, and every way a value can be wrong: one line naming key, value and what is allowed."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from typing import Any

import pytest

from stacks.config import DEFAULTS, ConfigError, deprecation_warnings, load_config
from tests.synth import PROJECT_CONTEXT, ROOT, TEST_DAY, config_for


def test_cdk_json_documents_every_key_with_its_default() -> None:
    assert set(PROJECT_CONTEXT) == set(DEFAULTS)
    readme = (ROOT / "README.md").read_text()
    for key in DEFAULTS:
        assert f"`{key}`" in readme, f"README.md does not document the context key {key}"


def test_defaults_give_a_global_current_default_model() -> None:
    config = load_config({}, today=TEST_DAY)
    assert config.endpoint_scope == "global"
    assert config.default_model.offered_in("global")
    assert config.default_model.lifecycle == "active"
    assert config.log_retention_days == 30
    assert config.account is None
    assert config.log_removal_policy == "retain"


def test_values_from_the_command_line_are_parsed() -> None:
    config = config_for(
        regions="eu-west-1,eu-central-1",
        endpoint_scope="eu",
        models='["claude-sonnet-4-5"]',
        default_model="anthropic.claude-sonnet-4-5-20250929-v1:0",
        log_retention_days="90",
        allow_streaming="false",
        invoker_reserved_concurrency="20",
        account="123456789012",
    )
    assert config.regions == ("eu-west-1", "eu-central-1")
    assert [m.alias for m in config.models] == ["claude-sonnet-4-5"]
    assert config.default_model.alias == "claude-sonnet-4-5"
    assert config.log_retention_days == 90
    assert config.allow_streaming is False
    assert config.invoker_reserved_concurrency == 20
    assert config.account == "123456789012"


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("log_retention_days", 7, "log_retention_days: 7 is not valid; allowed: an integer from 30 to 3653"),
        ("log_retention_days", 45, "log_retention_days: 45 is not valid; allowed: 30, 60, 90"),
        ("log_retention_days", "thirty", "log_retention_days: 'thirty' is not valid"),
        ("endpoint_scope", "mars", "endpoint_scope: 'mars' is not valid; allowed: global, us, eu, jp, apac, au"),
        (
            "regions",
            ["us-east-1", "us-east-1"],
            "regions: ['us-east-1', 'us-east-1'] is not valid; allowed: each Region once",
        ),
        ("regions", [], "regions: [] is not valid; allowed: one or more Region names"),
        ("regions", ["moon-1"], "regions: 'moon-1' is not valid; allowed: Region names such as us-east-1"),
        ("account", "12345", "account: '12345' is not valid; allowed: a 12-digit AWS account ID"),
        ("models", ["claude-sonnet-9"], "models: unknown model 'claude-sonnet-9'; allowed: "),
        ("models", "[not json", "models: '[not json' is not valid; allowed: a JSON list"),
        (
            "default_model",
            "claude-3-haiku",
            "default_model: 'claude-3-haiku' is not valid; allowed: one of the allowed",
        ),
        ("allow_streaming", "yes", "allow_streaming: 'yes' is not valid; allowed: true or false"),
        (
            "log_data",
            ["text", "smell"],
            "log_data: 'smell' is not valid; allowed: text, image, embedding, video, audio",
        ),
        ("log_object_lock", "forever", "log_object_lock: 'forever' is not valid; allowed: off, governance, compliance"),
        ("log_removal_policy", "snapshot", "log_removal_policy: 'snapshot' is not valid; allowed: retain, destroy"),
        ("invoker_principals", ["bob"], "invoker_principals: 'bob' is not valid; allowed: 12-digit account IDs"),
        ("invoker_callers", ["arn:aws:s3:::bucket"], "invoker_callers: 'arn:aws:s3:::bucket' is not valid"),
        ("invoker_memory_mb", 64, "invoker_memory_mb: 64 is not valid; allowed: an integer from 128 to 10240"),
        (
            "invoker_timeout_seconds",
            901,
            "invoker_timeout_seconds: 901 is not valid; allowed: an integer from 30 to 900",
        ),
        ("invoker_reserved_concurrency", 0, "invoker_reserved_concurrency: 0 is not valid"),
        ("extra_models", [{"alias": "x"}], "extra_models: {'alias': 'x'} is not valid; allowed: keys alias, model_id"),
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


def test_a_misspelt_key_is_refused_with_a_suggestion() -> None:
    with pytest.raises(
        ConfigError, match=r"^log_retention: unknown configuration key; did you mean 'log_retention_days'\?"
    ):
        config_for(log_retention=7)
    with pytest.raises(
        ConfigError, match=r"^endpoint_scopes: unknown configuration key; did you mean 'endpoint_scope'"
    ):
        config_for(endpoint_scopes="eu")


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
    with pytest.raises(ConfigError, match=r"^regions: 'us-east-1' is not valid; allowed: source Regions of the 'eu'"):
        config_for(endpoint_scope="eu", regions=["us-east-1"])


def test_model_not_offered_under_scope_is_refused() -> None:
    with pytest.raises(
        ConfigError, match=r"^endpoint_scope: 'global' is not offered for Claude Opus 4.1 .*offered: us$"
    ):
        config_for(models=["claude-opus-4-1"], default_model="claude-opus-4-1")


def test_a_model_added_through_context_is_usable_without_code_changes() -> None:
    extra = {
        "alias": "claude-next",
        "name": "Claude Next",
        "model_id": "anthropic.claude-next-v1:0",
        "scopes": ["global", "us"],
    }
    config = config_for(extra_models=[extra], models=["claude-next"], default_model="claude-next")
    assert config.default_model.model_id == "anthropic.claude-next-v1:0"
    assert config.catalog.get("anthropic.claude-next-v1:0").scopes == frozenset({"global", "us"})


def test_a_model_outside_bedrock_runtime_is_refused_unless_accepted() -> None:
    extra = {
        "alias": "claude-elsewhere",
        "model_id": "anthropic.claude-elsewhere",
        "scopes": ["global"],
        "api": "bedrock-mantle",
    }
    with pytest.raises(
        ConfigError, match=r"^models: claude-elsewhere is served by bedrock-mantle, not bedrock-runtime"
    ):
        config_for(extra_models=[extra], models=["claude-elsewhere"], default_model="claude-elsewhere")
    config = config_for(
        extra_models=[extra],
        models=["claude-elsewhere"],
        default_model="claude-elsewhere",
        allow_non_runtime_models=True,
    )
    assert config.models[0].api == "bedrock-mantle"


def test_retired_models_are_refused_and_legacy_ones_warned() -> None:
    # Bedrock's lifecycle page: Claude Sonnet 4.5 legacy since 2026-10-08, end of life 2027-04-08.
    context = {"models": ["claude-sonnet-4-5"], "default_model": "claude-sonnet-4-5"}
    assert deprecation_warnings(load_config(context, today=date(2026, 11, 25))) == [
        "models: claude-sonnet-4-5 (anthropic.claude-sonnet-4-5-20250929-v1:0) is legacy; retires on 2027-04-08; "
        "plan a move to a current model"
    ]
    with pytest.raises(ConfigError, match=r"^models: claude-sonnet-4-5 .* was retired on 2027-04-08; choose a current"):
        load_config(context, today=date(2027, 4, 8))
    # Already past end of life on the test day: Claude Sonnet 4 (2026-10-14).
    with pytest.raises(ConfigError, match=r"claude-sonnet-4 .* was retired on 2026-10-14"):
        load_config({"models": ["claude-sonnet-4"], "default_model": "claude-sonnet-4"}, today=TEST_DAY)


def test_app_prints_one_line_and_no_traceback_for_a_bad_value() -> None:
    result = subprocess.run(
        [sys.executable, "app.py"],
        cwd=ROOT,
        env={**os.environ, "CDK_CONTEXT_JSON": '{"log_retention_days": 7}'},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "Configuration error: log_retention_days: 7 is not valid; allowed: an integer from 30 to 3653"
    )
    assert "Traceback" not in result.stderr


# One wrong value for every key: each must be refused with a message that starts with the key's name.
WRONG_VALUE_PER_KEY = {
    "account": "not-an-account",
    "regions": "us-east-1,nowhere",
    "endpoint_scope": "moon",
    "models": [],
    "default_model": "claude-nothing",
    "extra_models": "[{}]",
    "invoker_principals": ["*"],
    "invoker_external_id": "x",
    "allow_streaming": "maybe",
    "allow_marketplace_subscription": 1,
    "log_retention_days": 29,
    "log_data": [],
    "log_object_lock": "on",
    "log_object_lock_days": 0,
    "log_removal_policy": "keep",
    "log_replica_bucket_arn": "my-bucket",
    "log_replica_kms_key_arn": "alias/logs",
    "log_replica_account": "123",
    "keep_logging_configuration_on_delete": "no",
    "invoker_callers": ["everyone"],
    "invoker_memory_mb": "lots",
    "invoker_timeout_seconds": 10,
    "invoker_reserved_concurrency": -1,
    "invoker_log_prompts": "sometimes",
    "invoker_vpc": "yes",
    "powertools_layer_version": 0,
    "allow_non_runtime_models": "perhaps",
}


def test_the_table_covers_every_key() -> None:
    assert set(WRONG_VALUE_PER_KEY) == set(DEFAULTS)


@pytest.mark.parametrize(("key", "value"), WRONG_VALUE_PER_KEY.items())
def test_every_key_refuses_a_wrong_value_naming_itself(key: str, value: Any) -> None:
    with pytest.raises(ConfigError) as error:
        config_for(**{key: value})
    message = str(error.value)
    assert message.startswith(f"{key}: "), message
    assert "allowed: " in message
    assert "\n" not in message

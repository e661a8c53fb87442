"""The `data_retention_*` section, and the refusal of a model that cannot run under the configured mode."""

from __future__ import annotations

import json
from typing import Any

import pytest

from core.config import ConfigError, StorageActions
from core.deployment import plan_deployment
from core.retention_fit import retention_warnings
from tests.support.cfn_values import SAMPLE_ACCOUNT
from tests.support.project import config_for

# A model whose card requires review, added as a user would add it: the user guide's example is "Claude Fable 5 and
# Claude Fable 5.1 require human review (allowed_modes: ["aws_review", "provider_data_share"])"
# (https://docs.aws.amazon.com/bedrock/latest/userguide/data-retention.html).
REVIEWED = {
    "alias": "claude-reviewed",
    "model_id": "anthropic.claude-reviewed",
    "profiles": {"global": ["us-east-1"]},
    "retention_modes": ["aws_review", "provider_data_share"],
}
ACTIONS = {"put": "bedrock:PutStorageExample", "get": "bedrock:GetStorageExample"}


def with_reviewed(**overrides: Any) -> Any:
    return config_for(
        extra_models=[REVIEWED],
        models=["claude-sonnet-4-6", "claude-reviewed"],
        invoker_default_model="claude-sonnet-4-6",
        **overrides,
    )


def test_defaults_set_zero_retention_and_leave_storage_alone() -> None:
    retention = config_for().data_retention
    assert (retention.mode, retention.storage, retention.storage_actions) == ("none", None, None)
    assert (retention.mode_text, retention.storage_text) == ("none", "unmanaged")


def test_unmanaged_leaves_the_mode_alone_and_each_value_is_parsed() -> None:
    assert config_for(data_retention_mode="unmanaged").data_retention.mode is None
    storage = config_for(data_retention_storage="customer_managed", data_retention_storage_actions=ACTIONS)
    assert storage.data_retention.storage == "customer_managed"
    assert storage.data_retention.storage_actions == StorageActions(**ACTIONS)
    # From `-c key=value`: JSON text.
    text = config_for(data_retention_storage="amazon_managed", data_retention_storage_actions=json.dumps(ACTIONS))
    assert text.data_retention.storage_actions == StorageActions(**ACTIONS)


@pytest.mark.parametrize(
    ("overrides", "line"),
    [
        (
            {"data_retention_mode": "zero"},
            "data_retention_mode: 'zero' is not valid; allowed: default, none, aws_review, provider_data_share, "
            "inherit, unmanaged",
        ),
        (
            {"data_retention_storage": "s3"},
            "data_retention_storage: 's3' is not valid; allowed: unmanaged, customer_managed, amazon_managed",
        ),
        (
            {"data_retention_storage": "customer_managed"},
            "data_retention_storage_actions: unset; with data_retention_storage=customer_managed the provider needs "
            "the IAM actions of PutAccountDataRetentionStorage and GetAccountDataRetentionStorage: set "
            '{"put": "bedrock:<action>", "get": "bedrock:<action>"} from the Service Authorization Reference for '
            "Amazon Bedrock",
        ),
        (
            {"data_retention_storage_actions": {"put": "bedrock:X"}},
            "data_retention_storage_actions: {'put': 'bedrock:X'} is not valid; allowed: an object with exactly the "
            'keys put and get, such as {"put": "bedrock:<action>", "get": "bedrock:<action>"}',
        ),
        (
            {"data_retention_storage_actions": {"put": "s3:PutObject", "get": "bedrock:X"}},
            "data_retention_storage_actions.put: 's3:PutObject' is not valid; allowed: one IAM action of Amazon "
            "Bedrock, such as bedrock:<action>",
        ),
        (
            {"extra_models": [{**REVIEWED, "retention_modes": ["always"]}]},
            "extra_models.retention_modes: 'always' is not valid; allowed: default, none, aws_review, "
            "provider_data_share, inherit",
        ),
    ],
    ids=["mode", "storage", "storage-without-actions", "actions-keys", "actions-service", "extra-model-modes"],
)
def test_each_mistake_is_one_line_naming_the_key(overrides: dict[str, Any], line: str) -> None:
    with pytest.raises(ConfigError) as error:
        config_for(**overrides)
    assert str(error.value) == line


def test_a_model_that_requires_review_is_refused_under_zero_retention() -> None:
    config = with_reviewed()  # the default mode, none: the values are valid, the plan is not
    with pytest.raises(ConfigError) as error:
        plan_deployment(config, SAMPLE_ACCOUNT)
    assert str(error.value) == (
        "data_retention_mode: claude-reviewed (models) runs only under aws_review or provider_data_share, not none; "
        "set data_retention_mode=aws_review (its traffic is then retained) or remove claude-reviewed from models"
    )


def test_a_teams_model_is_checked_too_and_the_required_mode_plans() -> None:
    team = {"name": "research", "principals": ["444455556666"], "models": ["claude-reviewed"]}
    config = config_for(extra_models=[REVIEWED], teams=[team])
    with pytest.raises(ConfigError, match=r"^data_retention_mode: claude-reviewed \(teams\[research\]\.models\)"):
        plan_deployment(config, SAMPLE_ACCOUNT)
    for mode in ("aws_review", "provider_data_share"):
        assert plan_deployment(with_reviewed(data_retention_mode=mode), SAMPLE_ACCOUNT).regions
    # Left unmanaged: nothing to refuse, but a warning says what the account needs.
    unmanaged = with_reviewed(data_retention_mode="unmanaged")
    assert plan_deployment(unmanaged, SAMPLE_ACCOUNT).regions
    assert retention_warnings(unmanaged) == [
        "data_retention_mode: unmanaged; claude-reviewed runs only under aws_review or provider_data_share: set the "
        "account's mode in each Region yourself"
    ]


def test_a_retaining_mode_no_model_needs_is_a_warning() -> None:
    assert retention_warnings(config_for()) == []
    assert retention_warnings(with_reviewed(data_retention_mode="aws_review")) == []
    assert retention_warnings(config_for(data_retention_mode="aws_review")) == [
        "data_retention_mode: aws_review retains prompts and outputs although no configured model requires it; none "
        "(zero data retention) serves every configured model"
    ]
    storage = config_for(data_retention_storage="amazon_managed", data_retention_storage_actions=ACTIONS)
    assert retention_warnings(storage) == [
        "data_retention_storage: amazon_managed while data_retention_mode is none: nothing is retained there"
    ]

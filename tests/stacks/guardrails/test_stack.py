"""The guardrails stack: each configured guardrail as AWS::Bedrock::Guardrail, with a version that follows it."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk

from stacks.guardrails.construct import GuardrailProps
from stacks.guardrails.stack import GuardrailsStack
from tests.support import logical_ids as ids
from tests.support.project import FEATURE_FLAGS, STRICT_GUARDRAIL, config_for
from tests.support.synth import Synth


def _template(synth: Synth) -> dict[str, Any]:
    template: dict[str, Any] = synth.templates[synth.stack_name("ClaudeGuardrails-")]
    return template


def test_the_guardrail_filters_denies_and_masks_as_configured(teams_synth: Synth) -> None:
    guardrail = _template(teams_synth)["Resources"][ids.GUARDRAIL]
    assert guardrail["Type"] == "AWS::Bedrock::Guardrail"
    properties = guardrail["Properties"]
    assert properties["Name"] == "claude-strict"
    assert properties["ContentPolicyConfig"] == {
        "FiltersConfig": [
            {"Type": "HATE", "InputStrength": "HIGH", "OutputStrength": "HIGH"},
            {"Type": "INSULTS", "InputStrength": "MEDIUM", "OutputStrength": "MEDIUM"},
            # Prompt attacks are user prompts: filtered on input only.
            {"Type": "PROMPT_ATTACK", "InputStrength": "HIGH", "OutputStrength": "NONE"},
        ]
    }
    assert properties["TopicPolicyConfig"] == {
        "TopicsConfig": [
            {
                "Name": "Investment advice",
                "Definition": "Recommendations to buy, sell or hold specific securities.",
                "Examples": ["Should I buy this stock?"],
                "Type": "DENY",
            }
        ]
    }
    assert properties["SensitiveInformationPolicyConfig"] == {
        "PiiEntitiesConfig": [
            {"Type": "EMAIL", "Action": "ANONYMIZE"},
            {"Type": "US_SOCIAL_SECURITY_NUMBER", "Action": "BLOCK"},
        ]
    }
    assert properties["BlockedInputMessaging"] and properties["BlockedOutputsMessaging"]


def test_the_version_is_kept_and_names_the_configuration(teams_synth: Synth) -> None:
    version = _template(teams_synth)["Resources"][ids.GUARDRAIL_VERSION]
    assert version["Properties"]["GuardrailIdentifier"] == {"Fn::GetAtt": [ids.GUARDRAIL, "GuardrailId"]}
    assert version["Properties"]["Description"].startswith("Configuration ")
    # Replaced, the old version stays: callers still naming it keep working until their stacks update.
    assert (version["UpdateReplacePolicy"], version["DeletionPolicy"]) == ("Retain", "Retain")


def test_a_changed_guardrail_gets_a_new_version_under_the_same_ids(teams_synth: Synth) -> None:
    def version_of(guardrail: dict[str, Any]) -> dict[str, Any]:
        config = config_for(guardrails=[guardrail])
        app = cdk.App(context=FEATURE_FLAGS)
        stack = GuardrailsStack(
            app,
            "G",
            guardrails=[GuardrailProps(d) for d in config.guardrails.definitions],
            env=cdk.Environment(region="eu-central-2"),
        )
        resources: dict[str, Any] = app.synth().get_stack_by_name(stack.stack_name).template["Resources"]
        return resources

    same = version_of(STRICT_GUARDRAIL)
    changed = version_of({**STRICT_GUARDRAIL, "pii": {"EMAIL": "BLOCK"}})
    assert set(same) == set(changed) == {ids.GUARDRAIL, ids.GUARDRAIL_VERSION}
    same_description = same[ids.GUARDRAIL_VERSION]["Properties"]["Description"]
    assert same_description == _template(teams_synth)["Resources"][ids.GUARDRAIL_VERSION]["Properties"]["Description"]
    assert changed[ids.GUARDRAIL_VERSION]["Properties"]["Description"] != same_description


def test_outputs_give_the_arn_and_version_callers_send(teams_synth: Synth) -> None:
    outputs = _template(teams_synth)["Outputs"]
    assert outputs["StrictGuardrailArn"]["Value"] == {"Fn::GetAtt": [ids.GUARDRAIL, "GuardrailArn"]}
    assert outputs["StrictGuardrailVersion"]["Value"] == {"Fn::GetAtt": [ids.GUARDRAIL_VERSION, "Version"]}


def test_no_guardrails_no_stack(default_synth: Synth) -> None:
    assert not [name for name in default_synth.templates if name.startswith("ClaudeGuardrails-")]

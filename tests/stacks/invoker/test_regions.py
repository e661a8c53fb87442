"""A Region the invoker's dependencies must exist in: ap-southeast-6 (New Zealand), where Powertools for AWS Lambda
publishes no layer (its deployment to the Region was an open pull request in 2026-09). The function has no layer
at all (native JSON logs and EMF lines of its own), so the Region synthesizes and nothing in it names a layer."""

from __future__ import annotations

import json

import pytest

from tests.support.project import config_for
from tests.support.synth import Synth, synth_invoker

REGION = "ap-southeast-6"
MODELS = ["claude-sonnet-4-6", "claude-haiku-4-5"]


@pytest.fixture(scope="module")
def new_zealand() -> Synth:
    config = config_for(endpoint_scope="au", regions=[REGION], models=MODELS, invoker_default_model=MODELS[0])
    return synth_invoker(config, REGION)


def test_the_invoker_deploys_in_new_zealand_without_any_layer(new_zealand: Synth) -> None:
    assert new_zealand.violations == []
    template = new_zealand.templates[new_zealand.stack_name("Invoker")]
    functions = [r for r in template["Resources"].values() if r["Type"] == "AWS::Lambda::Function"]
    assert functions
    assert all("Layers" not in f["Properties"] for f in functions)
    assert ":layer:" not in json.dumps(template)
    (invoker,) = [f for f in functions if "CLAUDE_MODELS" in json.dumps(f["Properties"].get("Environment", {}))]
    models = json.loads(invoker["Properties"]["Environment"]["Variables"]["CLAUDE_MODELS"])
    assert {m["profile_id"] for m in models.values()} == {
        "au.anthropic.claude-sonnet-4-6",
        "au.anthropic.claude-haiku-4-5-20251001-v1:0",
    }

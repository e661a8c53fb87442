"""The invoker function with every current model, its own VPC and a guardrail: every policy of its role within IAM's
limit, the function's own policy leaving room for its own statements, nothing lost in the split."""

from __future__ import annotations

from typing import Any

import pytest

from core.guardrails.guardrail import AppliedGuardrail
from core.invocation_access.policy_packing import MANAGED_POLICY_LIMIT, policy_size
from tests.support.cfn_values import CfnValues
from tests.support.project import STRICT_GUARDRAIL, config_for, current_models
from tests.support.synth import Synth, region_plan, synth_invoker

REGION = "eu-central-2"
GUARDRAIL_ARN = f"arn:aws:bedrock:{REGION}:111122223333:guardrail/abcdefghij12"


@pytest.fixture(scope="module")
def largest() -> Synth:
    models = current_models("eu", REGION)
    config = config_for(
        endpoint_scope="eu",
        regions=[REGION],
        models=models,
        invoker_default_model=models[0],
        invoker_vpc=True,
        guardrails=[STRICT_GUARDRAIL],
        invoker_guardrail="strict",
    )
    assert config.guardrails.invoker is not None
    guardrail = AppliedGuardrail(config.guardrails.invoker, GUARDRAIL_ARN, "12")
    return synth_invoker(config, REGION, guardrail=guardrail)


def _policies(synth: Synth) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    template = synth.templates[synth.stack_name("Invoker")]
    values = CfnValues(template, region=REGION)
    resources = template["Resources"]
    (role_id,) = [k for k, r in resources.items() if r["Type"] == "AWS::IAM::Role" and "FunctionRole" in k]
    attached = [ref["Ref"] for ref in resources[role_id]["Properties"]["ManagedPolicyArns"]]
    extra = [k for k, r in resources.items() if r["Type"] == "AWS::IAM::ManagedPolicy" and "InvokerModelPolicy" in k]
    for logical_id in extra:  # attached through their own Roles property
        assert resources[logical_id]["Properties"]["Roles"] == [{"Ref": role_id}]
    documents = [values.resolve(resources[k]["Properties"]["PolicyDocument"]) for k in [*attached, *extra]]
    own = next(d for k, d in zip([*attached, *extra], documents, strict=True) if "InvokerFunctionPolicy" in k)
    return own, documents


def test_every_policy_of_the_function_role_fits(largest: Synth) -> None:
    assert largest.violations == []
    own, documents = _policies(largest)
    assert len(documents) >= 2, "every eu model with a guardrail outgrows the function's own policy"
    for document in documents:
        assert policy_size(document["Statement"]) <= MANAGED_POLICY_LIMIT
    # The function's own statements (logs, traces, queues, key, network interfaces) are all in its own policy.
    sids = {s.get("Sid") for s in own["Statement"]}
    assert {"WriteOwnLogs", "XRayActiveTracing", "SendAsynchronousOutcomesToQueues", "UseInvokerKey"} <= sids


def test_the_split_loses_no_model_and_keeps_the_guardrail(largest: Synth) -> None:
    _, documents = _policies(largest)
    statements = [s for d in documents for s in d["Statement"]]
    routed = {r for s in statements if s.get("Sid", "").startswith("EuRoutedModels") for r in s["Resource"]}
    expected = {
        f"arn:aws:bedrock:{region}::foundation-model/{p.model.model_id}"
        for p in region_plan(largest.config, REGION, "111122223333").profiles
        for region in (arn.split(":")[3] for arn in p.foundation_model_arns)
    }
    assert routed == expected
    (deny,) = [s for s in statements if s.get("Sid") == "DenyInvocationWithoutTheGuardrail"]
    assert deny["Condition"] == {"StringNotEquals": {"bedrock:GuardrailIdentifier": f"{GUARDRAIL_ARN}:12"}}
    assert deny["Effect"] == "Deny" and deny["Resource"] == "*"

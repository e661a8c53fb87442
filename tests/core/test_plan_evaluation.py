"""Every model × scope × source Region the catalog allows, evaluated by an IAM evaluator this project did not write.

The matrix is generated from the catalog (`tests.support.project.catalog_matrix`): a Region or a model added there
is evaluated without editing this file. The statements are the plan's, which the stacks write unchanged
(tests/stacks/invocation_access/test_evaluation_every_model.py evaluates the synthesized policy per scope).
Each caller holds every part of the callers' policy with every current model of its (scope, Region).
"""

from __future__ import annotations

from typing import Any

import pytest

from core.catalog.lookup import Catalog, geography_regions
from core.catalog.scopes import GLOBAL, SCOPES
from core.invocation_access.plan import RegionPlan, plan_region
from tests.support.iam_evaluator import Principal, allowed
from tests.support.project import SAMPLE_ACCOUNT, catalog_matrix, config_for

INVOKE = "bedrock:InvokeModel"
STREAM = "bedrock:InvokeModelWithResponseStream"
CALLER = f"arn:aws:iam::{SAMPLE_ACCOUNT}:role/caller"
MATRIX = catalog_matrix()


def _id(value: object) -> str:
    return value if isinstance(value, str) else f"{len(value)}-models"  # type: ignore[arg-type]


def _caller(plan: RegionPlan) -> Principal:
    return Principal(CALLER, [{"Version": "2012-10-17", "Statement": part} for part in plan.access_policies()])


def _profile(endpoint_scope: str, region: str, model_id: str) -> str:
    return f"arn:aws:bedrock:{region}:{SAMPLE_ACCOUNT}:inference-profile/{endpoint_scope}.{model_id}"


def _model(region: str, model_id: str) -> str:
    return f"arn:aws:bedrock:{region}::foundation-model/{model_id}"


def _through(profile: str, region: str) -> dict[str, Any]:
    return {"aws:RequestedRegion": region, "bedrock:InferenceProfileArn": profile}


def test_the_matrix_covers_every_scope_and_the_regions_the_cards_list() -> None:
    # apac: its last models (Sonnet 4, Sonnet 3.7, Haiku 3) are past end of life; no current card lists it.
    assert {endpoint_scope for endpoint_scope, _, _ in MATRIX} == {"global", "us", "eu", "jp", "au"}
    rows = {(endpoint_scope, region): aliases for endpoint_scope, region, aliases in MATRIX}
    # The cards' 33 global sources, and Regions a card lists for some models only, with those models only.
    assert len([endpoint_scope for endpoint_scope, _ in rows if endpoint_scope == "global"]) == 33
    assert "claude-opus-4-7" not in rows[("au", "ap-southeast-6")]
    assert "claude-sonnet-4-6" in rows[("au", "ap-southeast-6")]
    assert rows[("us", "ca-west-1")] == [
        "claude-haiku-5-5",
        "claude-sonnet-5-5",
        "claude-opus-5-5",
        "claude-sonnet-5",
        "claude-opus-4-8",
        "claude-opus-4-7",
        "claude-sonnet-4-6",
        "claude-opus-4-6",
    ]
    # The 5.x models are in the matrix under each scope their cards give routing tables for, gated ones included.
    assert "claude-mythos-5-1" in rows[("global", "us-east-1")]
    assert "claude-opus-5-5" in rows[("jp", "ap-northeast-3")] and "claude-sonnet-5" in rows[("au", "ap-southeast-2")]


@pytest.mark.parametrize(("endpoint_scope", "region", "aliases"), MATRIX, ids=_id)
def test_each_model_is_allowed_exactly_through_its_profile_and_its_destinations(
    endpoint_scope: str, region: str, aliases: list[str]
) -> None:
    catalog = Catalog()
    models = [catalog.get(alias) for alias in aliases]
    plan = plan_region(
        models=models,
        endpoint_scope=endpoint_scope,
        region=region,
        account=SAMPLE_ACCOUNT,
        allow_streaming=True,
        allow_marketplace_subscription=True,
    )
    caller = _caller(plan)
    geography = set(geography_regions(endpoint_scope)) if endpoint_scope != GLOBAL else set()
    for model in models:
        own = _profile(endpoint_scope, region, model.model_id)
        destinations = model.destinations(endpoint_scope, region) if endpoint_scope != GLOBAL else (region,)
        for action in (INVOKE, STREAM):
            assert allowed(caller, action, own, {"aws:RequestedRegion": region}), (model.alias, action)
        for destination in destinations:
            assert allowed(caller, INVOKE, _model(destination, model.model_id), _through(own, destination))
            # Never the model directly, without its profile.
            assert not allowed(
                caller, INVOKE, _model(destination, model.model_id), {"aws:RequestedRegion": destination}
            )
        if endpoint_scope == GLOBAL:
            assert allowed(caller, INVOKE, _model("", model.model_id), _through(own, "unspecified"))
        else:
            assert not allowed(caller, INVOKE, _model("", model.model_id), _through(own, "unspecified"))
            # A Region of the geography that this model's card does not route to from here stays denied, even
            # through its own profile (another model's destinations are not this model's).
            for other in sorted(geography - set(destinations)):
                assert not allowed(caller, INVOKE, _model(other, model.model_id), _through(own, other)), other
        # Another scope's profile of the same model, called from the same Region.
        for other_scope in SCOPES:
            if other_scope != endpoint_scope:
                assert not allowed(caller, INVOKE, _profile(other_scope, region, model.model_id), {})
        # A destination no profile of this scope names.
        assert not allowed(caller, INVOKE, _model("sa-west-9", model.model_id), _through(own, "sa-west-9"))


def test_a_policy_split_across_managed_policies_allows_and_denies_the_same() -> None:
    """Twelve models of the us routing from ca-central-1: the statements outgrow one policy, and the caller holding
    every part may call each model exactly as through one policy."""
    table = {"us": {"ca-central-1": ["ca-central-1", "us-east-1", "us-east-2", "us-west-2"]}}
    extra = [
        {"alias": f"extra-{n}", "model_id": f"anthropic.claude-extra-{n}-with-a-longer-name-v1:0", "profiles": table}
        for n in range(12)
    ]
    config = config_for(
        endpoint_scope="us",
        regions=["ca-central-1"],
        extra_models=extra,
        models=[e["alias"] for e in extra],
        invoker_default_model="extra-0",
    )
    plan = plan_region(
        models=config.models.allowed,
        endpoint_scope="us",
        region="ca-central-1",
        account=SAMPLE_ACCOUNT,
        allow_streaming=True,
        allow_marketplace_subscription=True,
    )
    caller = _caller(plan)
    assert len(caller.policies) >= 2
    for model in config.models.allowed:
        own = _profile("us", "ca-central-1", model.model_id)
        assert allowed(caller, STREAM, own, {"aws:RequestedRegion": "ca-central-1"})
        for destination in ("ca-central-1", "us-east-1", "us-east-2", "us-west-2"):
            assert allowed(caller, INVOKE, _model(destination, model.model_id), _through(own, destination))
        assert not allowed(caller, INVOKE, _model("us-west-1", model.model_id), _through(own, "us-west-1"))
        assert not allowed(caller, INVOKE, _model("us-east-1", model.model_id), {"aws:RequestedRegion": "us-east-1"})

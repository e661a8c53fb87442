"""The organization stack: one service-managed StackSet that deploys the member baseline to every account under the
targets, in every Region, new accounts included; and how the member template reaches it.

The shared synthesis (tests/conftest.py ORGANIZATION_CONTEXT) targets two OUs from a delegated administrator with every
member option; a second, built here, uses the defaults from the management account.
"""

from __future__ import annotations

import json
import re
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Template

from core.organization.rollout import STACK_SET_NAME, TEMPLATE_BODY_LIMIT
from stacks.deployment import build_organization, build_stacks
from stacks.organization.stack_set import capabilities
from tests.support.project import FEATURE_FLAGS, config_for, current_models
from tests.support.synth import Synth, deployment_plan, synth_organization
from tests.support.templates import only

ORGANIZATION = "ClaudeOrganization"
MEMBER = "ClaudeMemberBaseline"


def stack_set(synth: Synth) -> dict[str, Any]:
    return only(synth.template(ORGANIZATION), "AWS::CloudFormation::StackSet")["Properties"]


def without_metadata(template: dict[str, Any]) -> dict[str, Any]:
    resources = {k: {p: v for p, v in r.items() if p != "Metadata"} for k, r in template["Resources"].items()}
    return {**template, "Resources": resources}


@pytest.fixture(scope="module")
def defaults_synth() -> Synth:
    """Only a target: the root, from the management account, with every other organization key at its default."""
    return synth_organization({"organization_targets": ["r-ab12"]})


def test_the_stack_set_is_service_managed_deploys_to_new_accounts_and_keeps_stacks_of_leavers(
    organization_synth: Synth,
) -> None:
    properties = stack_set(organization_synth)
    assert properties["StackSetName"] == STACK_SET_NAME
    assert properties["PermissionModel"] == "SERVICE_MANAGED"
    assert properties["AutoDeployment"] == {"Enabled": True, "RetainStacksOnAccountRemoval": True}
    assert properties["ManagedExecution"] == {"Active": True}
    assert properties["CallAs"] == "DELEGATED_ADMIN"


def test_instances_go_to_the_target_ous_in_every_region(organization_synth: Synth) -> None:
    assert stack_set(organization_synth)["StackInstancesGroup"] == [
        {
            "DeploymentTargets": {"OrganizationalUnitIds": ["ou-ab12-cd34ef56", "ou-ab12-gh78ij90"]},
            "Regions": ["us-east-1", "eu-west-1"],
        }
    ]


def test_operation_preferences_are_the_configured_ones(organization_synth: Synth) -> None:
    assert stack_set(organization_synth)["OperationPreferences"] == {
        "RegionConcurrencyType": "PARALLEL",
        "RegionOrder": ["us-east-1", "eu-west-1"],
        "MaxConcurrentPercentage": 25,
        "FailureToleranceCount": 0,
        "ConcurrencyMode": "SOFT_FAILURE_TOLERANCE",
    }


def test_counts_percentages_and_sequential_regions_reach_the_template() -> None:
    config = config_for(
        regions=["us-east-1", "eu-west-1"],
        organization_targets=["r-ab12"],
        organization_region_concurrency="SEQUENTIAL",
        organization_max_concurrent=4,
        organization_failure_tolerance="10%",
        organization_concurrency_mode="STRICT_FAILURE_TOLERANCE",
        organization_retain_stacks_on_removal=False,
    )
    app = cdk.App(context=FEATURE_FLAGS)
    properties = only(
        Template.from_stack(build_organization(app, config, deployment_plan(config))), "AWS::CloudFormation::StackSet"
    )["Properties"]
    assert properties["OperationPreferences"] == {
        "RegionConcurrencyType": "SEQUENTIAL",
        "RegionOrder": ["us-east-1", "eu-west-1"],
        "MaxConcurrentCount": 4,
        "FailureTolerancePercentage": 10,
        "ConcurrencyMode": "STRICT_FAILURE_TOLERANCE",
    }
    assert properties["AutoDeployment"] == {"Enabled": True, "RetainStacksOnAccountRemoval": False}


def test_the_template_body_is_the_synthesized_member_template_without_its_metadata(defaults_synth: Synth) -> None:
    body = stack_set(defaults_synth)["TemplateBody"]
    assert "TemplateURL" not in stack_set(defaults_synth)
    assert json.loads(body) == without_metadata(defaults_synth.templates[MEMBER])
    # Measured: the defaults (logging, its guard rules) fit; every option in two Regions travels as TemplateURL.
    assert len(body.encode()) <= TEMPLATE_BODY_LIMIT


def test_every_option_in_two_regions_travels_from_the_administrators_bootstrap_bucket(
    organization_synth: Synth,
) -> None:
    properties = stack_set(organization_synth)
    assert "TemplateBody" not in properties and "TemplateURL" in properties
    assert organization_synth.templates["ClaudeOrganization"]["Outputs"]["MemberTemplate"]["Value"].startswith(
        "TemplateURL, "
    )


def test_capabilities_say_what_the_member_template_does_with_iam(
    organization_synth: Synth, defaults_synth: Synth
) -> None:
    # The audit role has a name (organization_audit_role_name): named IAM.
    assert stack_set(organization_synth)["Capabilities"] == ["CAPABILITY_NAMED_IAM"]
    # Without it, roles and policies get generated names.
    assert stack_set(defaults_synth)["Capabilities"] == ["CAPABILITY_IAM"]
    assert capabilities({"Resources": {"T": {"Type": "AWS::SNS::Topic"}}}) == []


def test_defaults_deploy_from_the_management_account_to_the_root(defaults_synth: Synth) -> None:
    properties = stack_set(defaults_synth)
    assert properties["CallAs"] == "SELF"
    assert properties["StackInstancesGroup"][0]["DeploymentTargets"] == {"OrganizationalUnitIds": ["r-ab12"]}
    assert properties["StackInstancesGroup"][0]["Regions"] == ["us-east-1"]
    assert properties["AutoDeployment"]["RetainStacksOnAccountRemoval"] is True


def test_the_organization_stack_lives_in_the_administrator_account_and_first_region(organization_synth: Synth) -> None:
    manifest = json.loads((organization_synth.outdir / "manifest.json").read_text())
    assert manifest["artifacts"][ORGANIZATION]["environment"] == "aws://111122223333/us-east-1"


def test_synth_adds_the_organization_stack_only_with_targets() -> None:
    def names(**context: Any) -> list[str]:
        config = config_for(**context)
        return sorted(
            s.stack_name for s in build_stacks(cdk.App(context=FEATURE_FLAGS), config, deployment_plan(config))
        )

    assert ORGANIZATION not in names()
    with_targets = names(organization_targets=["ou-ab12-cd34ef56"])
    assert ORGANIZATION in with_targets
    # The member baseline is never one of the app's stacks: `cdk deploy --all` must not put it in this account.
    assert MEMBER not in with_targets and len(with_targets) == len(names()) + 1


def test_a_template_over_51200_bytes_travels_as_a_file_asset_of_the_administrator_account() -> None:
    """Every Region of the eu geography, every current model, with the invocation policy: the member template
    outgrows TemplateBody (74 KB measured)."""
    regions = ["eu-central-1", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-3", "eu-west-2"]
    synth = synth_organization(
        {
            "endpoint_scope": "eu",
            "models": current_models("eu"),
            "invoker_default_model": "claude-sonnet-4-6",
            "regions": regions,
            "organization_targets": ["r-ab12"],
            "organization_member_access": True,
        }
    )
    properties = stack_set(synth)
    assert "TemplateBody" not in properties
    # The administrator account's bootstrap bucket, in the organization stack's Region: members never read it.
    url = properties["TemplateURL"]["Fn::Sub"]
    assert re.fullmatch(
        r"https://s3\.eu-central-1\.\$\{AWS::URLSuffix\}/cdk-hnb659fds-assets-\$\{AWS::AccountId\}-eu-central-1/"
        r"[0-9a-f]{64}\.json",
        url,
    ), url
    assets = json.loads((synth.outdir / f"{ORGANIZATION}.assets.json").read_text())["files"]
    # The stack's own template is an asset of the stack too; the member template is the other one.
    (asset,) = [a for a in assets.values() if a["source"]["path"] != f"{ORGANIZATION}.template.json"]
    published = json.loads((synth.outdir / asset["source"]["path"]).read_text())
    assert published == without_metadata(synth.templates[MEMBER])
    assert len(json.dumps(published, separators=(",", ":")).encode()) > TEMPLATE_BODY_LIMIT
    assert synth.violations == []

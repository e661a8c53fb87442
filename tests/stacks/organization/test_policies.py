"""The organization stack attaches the organization's policies to the rollout's targets: the documents
`python app.py scp` (and `--rcp`) prints, one AWS::Organizations::Policy each, unless the organization manages its
policies elsewhere."""

from __future__ import annotations

import json
from typing import Any

import pytest

from compliance.policies import print_scp
from stacks.deployment import organization_policies_props
from tests.support.project import ORGANIZATION_CONTEXT, config_for
from tests.support.synth import Synth

ORGANIZATION = "ClaudeOrganization"


def printed(capsys: pytest.CaptureFixture[str], *, resource_control: bool) -> list[dict[str, Any]]:
    assert print_scp(config_for(**ORGANIZATION_CONTEXT), resource_control=resource_control) == 0
    out = json.loads(capsys.readouterr().out)
    return out if isinstance(out, list) else [out]


def attached(synth: Synth, kind: str) -> list[dict[str, Any]]:
    resources = synth.template(ORGANIZATION).find_resources("AWS::Organizations::Policy")
    return [r["Properties"] for r in resources.values() if r["Properties"]["Type"] == kind]


@pytest.mark.parametrize(("kind", "rcp"), [("SERVICE_CONTROL_POLICY", False), ("RESOURCE_CONTROL_POLICY", True)])
def test_the_stack_attaches_exactly_what_the_scp_command_prints_to_every_target(
    organization_synth: Synth, capsys: pytest.CaptureFixture[str], kind: str, rcp: bool
) -> None:
    policies = attached(organization_synth, kind)
    assert [p["Content"] for p in policies] == printed(capsys, resource_control=rcp)
    for policy in policies:
        assert policy["TargetIds"] == ["ou-ab12-cd34ef56", "ou-ab12-gh78ij90"]
        assert policy["Name"].startswith("claude-on-bedrock-")
        assert len(json.dumps(policy["Content"])) <= 5120


def test_the_outputs_name_the_attached_policies(organization_synth: Synth) -> None:
    outputs = organization_synth.template(ORGANIZATION).to_json()["Outputs"]
    assert {"ServiceControlPolicyIds", "ResourceControlPolicyIds"} <= set(outputs)


def test_defaults_attach_the_service_control_policies_only() -> None:
    props = organization_policies_props(config_for(organization_targets=["r-ab12"]))
    assert props.targets == ("r-ab12",)
    assert props.service_control and not props.resource_control


def test_an_organization_that_manages_its_policies_elsewhere_opts_out() -> None:
    props = organization_policies_props(config_for(organization_targets=["r-ab12"], organization_scps=False))
    assert props.service_control == props.resource_control == ()
    assert not config_for(
        organization_targets=["r-ab12"], organization_scps=False
    ).organization.deploys_service_control_policies
    # Without the rollout, nothing is deployed: the policies are printed for an administrator to attach.
    assert not config_for().organization.deploys_service_control_policies

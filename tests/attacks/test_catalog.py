"""Every step of the attack catalog (tests/attacks/catalog.py) does what the catalog claims, under the default and
the every-option configuration:

- `prevented`: the organization's policies as printed and deployed (`core.organization.policies`: the SCPs, and the
  RCPs evaluated as the same Deny statements) deny at least one of its calls, evaluated by principalmapper; the
  statements it names alone deny it, and every other statement together lets each call through (so the claim names
  exactly what prevents it). Otherwise every call is allowed.
- `detected`: exactly the rules it names, of the synthesized logging stack resolved to a sample account, match a
  CloudTrail-shaped event of the step (moto's EventBridge pattern matcher), where EventBridge receives that event;
  each such rule notifies an SNS topic.
- `residual`: neither, and the catalog says why.

The attacker's own policy allows everything (AdministratorAccess): without the policies every call is allowed.
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import Any

import pytest

from core.invocation_logging.guard import sample_cloudtrail_event
from core.organization.policies import organization_policies
from tests.attacks.catalog import STEPS
from tests.attacks.model import KINDS, Step
from tests.attacks.names import LOGGING_STACK, RULES, filled, logical_id, names_of
from tests.support.fake_guards import matches
from tests.support.iam_evaluator import Principal, allowed, rcps_as_scps
from tests.support.synth import Synth

EVERYTHING = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
Statements = list[dict[str, Any]]


class Setting:
    """One configuration as the catalog is evaluated under it: its policies' statements, its logging stack's rules
    (resolved patterns and targets) and the names a step's braces stand for."""

    def __init__(self, synth: Synth) -> None:
        policies = organization_policies(synth.config)
        self.statements: Statements = [
            statement
            for policy in (*policies.service_control, *rcps_as_scps(policies.resource_control))
            for statement in policy["Statement"]
        ]
        self.names = names_of(synth)
        values = synth.values(LOGGING_STACK)
        resources = values.template["Resources"]
        self.patterns: dict[str, dict[str, Any]] = {}
        self.notify_topics: dict[str, bool] = {}
        for rule_id in RULES:
            rule = resources[logical_id(values.template, rule_id, "AWS::Events::Rule")]["Properties"]
            self.patterns[rule_id] = values.resolve(rule["EventPattern"])
            self.notify_topics[rule_id] = any(_is_topic(target["Arn"], resources) for target in rule["Targets"])

    def denies(self, step: Step, statements: Statements | None = None) -> bool:
        """Whether `statements` (all of the configuration's by default) deny at least one of the step's calls."""
        scps = [
            {"Version": "2012-10-17", "Statement": [s]} for s in (self.statements if statements is None else statements)
        ]
        principal = Principal(filled(step.attacker, self.names), [EVERYTHING])
        return any(
            not allowed(
                principal, call.action, filled(call.resource, self.names), self._context(call.context), scps=scps
            )
            for call in step.calls
        )

    def _context(self, context: dict[str, str]) -> dict[str, str]:
        base = {"aws:RequestedRegion": self.names["region"], "aws:PrincipalIsAWSService": "false"}
        return {**base, **filled(context, self.names)}

    def named(self, step: Step) -> tuple[Statements, Statements]:
        """The statements the step names, and the others."""
        hit = [s for s in self.statements if any(fnmatchcase(s["Sid"], p) for p in step.denied_by)]
        return hit, [s for s in self.statements if s not in hit]

    def hearers(self, step: Step) -> set[str] | None:
        """The rules that match an event of the step that reaches this stack's Region; None when none reaches it."""
        attacker = filled(step.attacker, self.names)
        session = attacker.replace(":iam::", ":sts::").replace(":role/", ":assumed-role/").rsplit("/", 1)
        caller = f"{session[0].split(':assumed-role/')[0]}:assumed-role/{session[1]}/mallory"
        heard: set[str] | None = None
        for event in step.events:
            region = event.region or self.names["region"]
            if region != self.names["region"]:
                continue  # delivered to another Region's default bus, where no stack of this configuration runs
            record = sample_cloudtrail_event(
                event.name,
                account=self.names["account"],
                region=region,
                caller_arn=caller,
                issuer_arn=attacker,
                event_source=f"{event.source}.amazonaws.com",
                request=filled(event.request, self.names) if event.request else None,
            )
            heard = (heard or set()) | {
                rule_id for rule_id, pattern in self.patterns.items() if matches(pattern, record)
            }
        return heard


def _is_topic(target: Any, resources: dict[str, Any]) -> bool:
    if isinstance(target, dict) and "Ref" in target:
        return bool(resources[target["Ref"]]["Type"] == "AWS::SNS::Topic")
    return isinstance(target, str) and ":sns:" in target


@pytest.fixture(scope="module")
def settings(default_synth: Synth, every_option_synth: Synth) -> dict[str, Setting]:
    return {"default": Setting(default_synth), "every-option": Setting(every_option_synth)}


def test_the_catalog_has_at_least_thirty_steps_in_four_classes_and_a_reason_for_each_residual() -> None:
    assert len(STEPS) >= 30
    assert {step.kind for step in STEPS} == set(KINDS)
    assert len({step.name for step in STEPS}) == len(STEPS)
    for step in STEPS:
        assert step.calls and step.events, step.name
        assert bool(step.residual) == (step.outcome == "residual"), step.name


@pytest.mark.parametrize("step", STEPS, ids=[f"{s.kind}: {s.name}" for s in STEPS])
def test_each_step_has_the_outcome_the_catalog_claims(settings: dict[str, Setting], step: Step) -> None:
    heard_anywhere: set[str] = set()
    for configuration, setting in settings.items():
        where = f"{configuration}: {step.name}"
        assert not setting.denies(step, []), f"{where}: the attacker's own policy does not allow it"
        assert setting.denies(step) == bool(step.denied_by), f"{where}: prevented is not {bool(step.denied_by)}"
        if step.denied_by:
            named, others = setting.named(step)
            assert setting.denies(step, named), f"{where}: {step.denied_by} alone do not deny it"
            assert not setting.denies(step, others), f"{where}: other statements deny it too"
        heard = setting.hearers(step)
        if heard is not None:  # an event of the step reaches this stack's Region: exactly the claimed rules hear it
            assert heard == set(step.heard_by), f"{where}: heard by {sorted(heard)}"
            assert all(setting.notify_topics[rule] for rule in heard), f"{where}: a rule notifies no topic"
            heard_anywhere |= heard
    assert heard_anywhere == set(step.heard_by), f"{step.name}: heard by {sorted(heard_anywhere)}"

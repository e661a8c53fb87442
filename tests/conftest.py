"""Session-wide fixtures: each configuration of the app is synthesized once per test run (across workers) and shared."""

from __future__ import annotations

import gc
import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

# The pinned, supported Node.js for jsii when tests run outside `make` (the Makefile sets the same PATH).
_NODE_BIN = Path(__file__).resolve().parent.parent / "node_modules" / ".bin"
if _NODE_BIN.is_dir() and str(_NODE_BIN) not in os.environ["PATH"].split(os.pathsep):
    os.environ["PATH"] = f"{_NODE_BIN}{os.pathsep}{os.environ['PATH']}"
# Each Node.js process of the tests (jsii's kernel, the CDK CLI) with one V8 worker thread rather than one per core:
# with 2 test workers on 2 cores, V8's background work (compiling CDK's validation engine, garbage collection) only
# competes with the other worker, and one thread does it in less CPU time.
os.environ.setdefault("NODE_OPTIONS", "--v8-pool-size=1")

# No automatic full pass of the garbage collector: each walks every object the process keeps (the CDK bindings,
# botocore's parsed models, moto's backends, cfn-lint's schemas), ~0.2 s, and a worker made about 30 in a run: about
# 10 s of CPU. Young cycles are still collected (generations 0 and 1); what outlives them waits for the full passes
# made on purpose: before the first test (`pytest_collection_finish`) and pytest's own at the end of the run, which
# reports unraisable exceptions. Measured: about 40 MB more at the peak of a worker (of ~550 MB).
NO_AUTOMATIC_FULL_PASS = 1_000_000  # passes of generation 1 before a full one; a worker makes ~450 in a run
_young, _middle, _ = gc.get_threshold()
gc.set_threshold(_young, _middle, NO_AUTOMATIC_FULL_PASS)

from tests.support.aws_sessions import share_one_loader  # noqa: E402

share_one_loader()  # before any session is made: the tests', the commands', moto's

from tests.support.project import (  # noqa: E402
    ALARM_EMAIL,
    ARCHIVE_ACCOUNT,
    ARCHIVE_BUCKET_ARN,
    ARCHIVE_KEY_ARN,
    BREAK_GLASS_ROLE,
    CENTRAL_TOPIC_ARN,
    EXAMPLE_SYNTH_ARGS,
    ORGANIZATION_CONTEXT,
    STORAGE_ACTIONS,
    STRICT_GUARDRAIL,
    URL_CALLER_ACCOUNT,
)
from tests.support.shared_syntheses import InProcess, SharedSyntheses, ThroughTheCli, used_by  # noqa: E402

if TYPE_CHECKING:
    from tests.support.synth import Synth

# Every non-default option a reviewer cares about across the three stacks, in one synthesis.
EVERY_OPTION_CONTEXT = {
    "endpoint_scope": "eu",
    "regions": ["eu-west-1"],
    "models": ["claude-sonnet-4-6"],
    "invoker_default_model": "claude-sonnet-4-6",
    "log_retention_days": 90,
    "invoker_vpc": True,
    # Bedrock's options for requests that name none, and answers kept two days.
    "invoker_service_tier": "flex",
    "invoker_latency": "optimized",
    "invoker_results_retention_days": 2,
    # Callers authenticated by IAM through a function URL, one of them in another account (a resource policy).
    "invoker_function_url": True,
    "invoker_callers": [URL_CALLER_ACCOUNT],
    # Two teams served through the function URL: one by role, one by account; support's Haiku is not among the
    # invoker's models, so the invoker serves support its Sonnet only.
    "teams": [
        {
            "name": "research",
            "principals": [f"arn:aws:iam::{URL_CALLER_ACCOUNT}:role/analysts"],
            "models": ["claude-sonnet-4-6"],
            "tags": {"cost-center": "4711"},
        },
        {
            "name": "support",
            "principals": ["777788889999"],
            "models": ["claude-sonnet-4-6", "claude-haiku-4-5"],
            "tags": {"cost-center": "0815"},
        },
    ],
    # A copy of the logs in a central archive account, in another Region of the same geography.
    "log_replica_bucket_arn": ARCHIVE_BUCKET_ARN,
    "log_replica_kms_key_arn": ARCHIVE_KEY_ARN,
    "log_replica_account": ARCHIVE_ACCOUNT,
    # Who hears the alarms: an address, and a central security topic of the Region.
    "alarm_emails": [ALARM_EMAIL],
    "alarm_topic_arn": CENTRAL_TOPIC_ARN,
    # The continuous audit puts the configuration back; one break-glass role may delete log objects.
    "log_audit_self_repair": True,
    "log_break_glass_principal": BREAK_GLASS_ROLE,
    # AWS review of the retained data (no configured model needs it: synthesis warns, and applies it).
    "data_retention_mode": "aws_review",
    # No S3 Object Lock (governance by default): the break-glass role's deletions need no bypass.
    "log_object_lock": "off",
    # A budget of the account's Bedrock spend, a capacity alarm at 75% of a model's quota, the CUR 2.0 export.
    "budget_monthly_usd": 5000,
    "quota_tokens_per_minute": {"claude-sonnet-4-6": 2_000_000},
    "quota_alarm_fraction": "0.75",
    "cost_export": True,
}

# The invocation-logging options a sandbox or a stricter deployment changes, in one synthesis (default scope), with
# two models Bedrock's CountTokens serves (the default ones are not served: their cards list it on bedrock-mantle).
LOGGING_OPTIONS_CONTEXT = {
    "models": ["claude-sonnet-4-6", "claude-haiku-4-5"],
    "invoker_default_model": "claude-sonnet-4-6",
    "log_retention_days": 90,
    "log_object_lock": "governance",
    "log_object_lock_days": 60,
    "log_removal_policy": "destroy",
    "log_keep_configuration_on_delete": False,
    "log_data": ["text", "embedding"],
    # The mode left alone; retained data kept in a bucket and key of the Region, with the storage actions the
    # user copied (no AWS page we could read names them: tests/stacks/data_retention).
    "data_retention_mode": "unmanaged",
    "data_retention_storage": "customer_managed",
    "data_retention_storage_actions": STORAGE_ACTIONS,
}


# Guardrails, the invoker applying one, and two teams (one with the guardrail), under a geography, in one synthesis;
# both teams with budgets, one denied Claude when its budget is spent.
TEAMS_CONTEXT = {
    "endpoint_scope": "eu",
    "regions": ["eu-central-2"],
    "models": ["claude-sonnet-4-6", "claude-haiku-4-5"],
    "invoker_default_model": "claude-sonnet-4-6",
    "guardrails": [STRICT_GUARDRAIL],
    "invoker_guardrail": "strict",
    "teams": [
        {
            "name": "data-science",
            "principals": ["444455556666", "arn:aws:iam::444455556666:role/analysts"],
            "models": ["claude-opus-4-7", "claude-sonnet-4-6"],
            "tags": {"cost-center": "4711", "team": "data-science"},
            "guardrail": "strict",
            "monthly_budget_usd": 2500,
            "budget_action": "deny",
        },
        {
            "name": "support",
            "principals": ["arn:aws:iam::777788889999:role/support-bot"],
            "models": ["claude-haiku-4-5"],
            "tags": {"cost-center": "0815"},
            "monthly_budget_usd": "300.50",
        },
    ],
    # Budgets notify an address; a capacity alarm on a model the invoker and a team call.
    "alarm_emails": [ALARM_EMAIL],
    "quota_tokens_per_minute": {"claude-haiku-4-5": 1_000_000},
}


# The syntheses made in the test process, and every shared synthesis, the longest first (the CDK CLI's, a process of
# its own): before its first test each worker takes the next one no worker has taken (`prepare`).
IN_PROCESS = {
    "every_option_synth": InProcess(EVERY_OPTION_CONTEXT),
    "teams_synth": InProcess(TEAMS_CONTEXT),
    "organization_synth": InProcess(ORGANIZATION_CONTEXT, organization=True),
    "default_synth": InProcess(),
    "logging_options_synth": InProcess(LOGGING_OPTIONS_CONTEXT),
}
SHARED_SYNTHESES = {"cli_assembly": ThroughTheCli(EXAMPLE_SYNTH_ARGS), **IN_PROCESS}
_SHARED = pytest.StashKey[SharedSyntheses]()


def shared_syntheses(config: pytest.Config) -> SharedSyntheses:
    """The run's syntheses, in a folder of the run: under xdist the parent of each worker's base temporary folder
    (the run's own, shared by its workers), else the base folder itself."""
    if _SHARED not in config.stash:
        base = config._tmp_path_factory.getbasetemp()  # what the tmp_path_factory fixture hands out; hooks have none
        folder = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "syntheses"
        folder.mkdir(exist_ok=True)
        config.stash[_SHARED] = SharedSyntheses(folder, SHARED_SYNTHESES)
    return config.stash[_SHARED]


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session: pytest.Session) -> None:
    """Before the first test: synthesize the shared syntheses the collected tests use that no worker has taken (not
    in xdist's controller, which runs no test, nor for --collect-only)."""
    config = session.config
    if config.option.collectonly or (config.getoption("dist", "no") != "no" and not hasattr(config, "workerinput")):
        return
    shared_syntheses(config).prepare(used_by(session.items, SHARED_SYNTHESES))
    # What is loaded by now (the CDK bindings, moto, the syntheses) lives as long as the run: kept out of the
    # garbage collector's full passes, which would otherwise walk it again each time (~0.3 s a pass).
    gc.collect()
    gc.freeze()


def _in_process(config: pytest.Config, name: str) -> Synth:
    return IN_PROCESS[name].read(shared_syntheses(config).outdir(name))


@pytest.fixture(scope="session")
def default_synth(pytestconfig: pytest.Config) -> Synth:
    """The app exactly as cdk.json configures it (env-agnostic: no account), every rule pack applied."""
    return _in_process(pytestconfig, "default_synth")


@pytest.fixture(scope="session")
def every_option_synth(pytestconfig: pytest.Config) -> Synth:
    """EVERY_OPTION_CONTEXT: eu scope, 90-day retention, the invoker in its own VPC with Bedrock options, 2-day
    results, a function URL, a caller in another account and two teams it serves, logs replicated cross-account,
    alarms to an address and a central topic, self-repair, a break-glass role, no Object Lock, data retention mode
    aws_review."""
    return _in_process(pytestconfig, "every_option_synth")


@pytest.fixture(scope="session")
def logging_options_synth(pytestconfig: pytest.Config) -> Synth:
    """LOGGING_OPTIONS_CONTEXT: 90 days, Object Lock (governance, 60 days), destroy on delete, configuration deleted
    with the stack, text and embedding data; data retention mode unmanaged, customer-managed retention storage;
    Sonnet 4.6 and Haiku 4.5, which CountTokens serves."""
    return _in_process(pytestconfig, "logging_options_synth")


@pytest.fixture(scope="session")
def teams_synth(pytestconfig: pytest.Config) -> Synth:
    """TEAMS_CONTEXT: eu scope from eu-central-2, a guardrail the invoker and one team apply, two teams."""
    return _in_process(pytestconfig, "teams_synth")


@pytest.fixture(scope="session")
def organization_synth(pytestconfig: pytest.Config) -> Synth:
    """ORGANIZATION_CONTEXT: the organization stack and the member baseline (in `member-baseline/`), every pack."""
    return _in_process(pytestconfig, "organization_synth")


@pytest.fixture(scope="session")
def cli_assembly(pytestconfig: pytest.Config) -> Path:
    """The cloud assembly of `cdk synth EXAMPLE_SYNTH_ARGS` as `make synth` runs it: the pinned CDK CLI, cdk.json's
    "app" (this project's .venv Python), in a process of its own."""
    return shared_syntheses(pytestconfig).outdir("cli_assembly")


@pytest.fixture
def synthesized_template(request: pytest.FixtureRequest) -> tuple[Synth, str]:
    """For a test parametrized indirectly over SYNTHESIZED_TEMPLATES (tests/support/synth.py): the shared synthesis
    (built in setup, like any session fixture) and the name of one of its stacks."""
    fixture, stack_name = request.param
    synthesis: Synth = request.getfixturevalue(fixture)
    return synthesis, stack_name


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked `aws` need a real account: skipped unless RUN_AWS_TESTS=1 (see tests/live)."""
    if os.environ.get("RUN_AWS_TESTS") == "1":
        return
    skip = pytest.mark.skip(reason="needs a deployed AWS account; run with RUN_AWS_TESTS=1 (see tests/live)")
    for item in items:
        if "aws" in item.keywords:
            item.add_marker(skip)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """After pytest's last full collection (in its own pytest_unconfigure: it reports unraisable exceptions), all
    that is left is the interpreter's exit, whose full passes would walk every object again only to free memory the
    process gives back anyway: about 0.8 s a worker, which xdist's controller waits for."""
    gc.freeze()

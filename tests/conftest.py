"""Session-wide fixtures: the app is synthesized once per test run and shared."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# The pinned, supported Node.js for jsii when tests run outside `make` (the Makefile sets the same PATH).
_NODE_BIN = Path(__file__).resolve().parent.parent / "node_modules" / ".bin"
if _NODE_BIN.is_dir() and str(_NODE_BIN) not in os.environ["PATH"].split(os.pathsep):
    os.environ["PATH"] = f"{_NODE_BIN}{os.pathsep}{os.environ['PATH']}"


from tests.synth import Synth, synth  # noqa: E402


@pytest.fixture(scope="session")
def default_synth() -> Synth:
    """The app exactly as cdk.json configures it (env-agnostic: no account)."""
    return synth()


# Every non-default option a reviewer cares about, in one synthesis shared by the tests that need it.
VARIANT_CONTEXT = {
    "endpoint_scope": "eu",
    "regions": ["eu-west-1"],
    "models": ["claude-sonnet-4-6"],
    "default_model": "claude-sonnet-4-6",
    "log_retention_days": 90,
    "invoker_vpc": True,
    # A copy of the logs in a central archive account, in another Region of the same geography.
    "log_replica_bucket_arn": "arn:aws:s3:::example-bedrock-log-archive",
    "log_replica_kms_key_arn": "arn:aws:kms:eu-central-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    "log_replica_account": "444455556666",
}


@pytest.fixture(scope="session")
def variant_synth() -> Synth:
    """A geographic scope with 90-day retention and the invoker in its own VPC, every rule pack applied."""
    return synth(VARIANT_CONTEXT)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked `aws` need a real account: skipped unless RUN_AWS_TESTS=1 (see tests/live)."""
    if os.environ.get("RUN_AWS_TESTS") == "1":
        return
    skip = pytest.mark.skip(reason="needs a deployed AWS account; run with RUN_AWS_TESTS=1 (see tests/live)")
    for item in items:
        if "aws" in item.keywords:
            item.add_marker(skip)

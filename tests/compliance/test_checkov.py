"""checkov, a second independent scanner, over every synthesized template: findings fixed or skipped with reasons.

One test per template (SYNTHESIZED_TEMPLATES, tests/support/synth.py). checkov runs in one long-lived process per
worker that scans (checkov_server.py: importing checkov is the slow part, a template is not; under `make unit` this
module mostly runs on one worker). Each template's findings are kept for the run in a folder the workers share, so
the test of stale skips reads every template's findings without any template being scanned twice.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import select
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from core.organization.rollout import MEMBER_STACK_NAME
from tests.support.project import ROOT
from tests.support.synth import SYNTHESIZED_TEMPLATES, Synth, template_id

CHECKOV_PYTHON = ROOT / ".venv-checkov" / "bin" / "python"
SERVER = Path(__file__).with_name("checkov_server.py")
SCAN_TIMEOUT_SECONDS = 300
SKIPS: list[dict[str, str]] = yaml.safe_load((ROOT / "compliance" / "checkov_skips.yaml").read_text())


class Checkov:
    """One checkov process (checkov_server.py), started at the first scan; `failed_checks` scans one template."""

    def __init__(self, log: Path) -> None:
        self.log = log
        self.process: subprocess.Popen[str] | None = None

    def failed_checks(self, template: Path) -> list[dict[str, str]]:
        if self.process is None:
            if not CHECKOV_PYTHON.exists():
                pytest.fail(f"{CHECKOV_PYTHON} is missing: run `make setup` (checkov has its own virtual environment)")
            with self.log.open("w") as errors:
                command = [str(CHECKOV_PYTHON), str(SERVER)]
                self.process = subprocess.Popen(
                    command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors, text=True
                )
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(f"{template}\n")
        self.process.stdin.flush()
        ready, _, _ = select.select([self.process.stdout], [], [], SCAN_TIMEOUT_SECONDS)
        line = self.process.stdout.readline() if ready else ""
        assert line, f"checkov gave no answer for {template.name}: {self.log.read_text()[-2000:]}"
        found: list[dict[str, str]] = json.loads(line)
        return found

    def close(self) -> None:
        if self.process is not None:
            assert self.process.stdin is not None
            self.process.stdin.close()
            self.process.terminate()  # nothing to flush: every answer was read
            self.process.wait(timeout=30)


class Findings:
    """checkov's failed checks per template, scanned once per run by whichever worker asks first (keyed by the
    template's bytes, so a worker reads another's answer only for the very same template)."""

    def __init__(self, folder: Path, checkov: Checkov) -> None:
        self.folder, self.checkov = folder, checkov

    def of(self, template: Path) -> list[dict[str, str]]:
        key = hashlib.sha256(template.read_bytes()).hexdigest()
        answer = self.folder / f"{key}.json"
        with (self.folder / f"{key}.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not answer.exists():
                answer.write_text(json.dumps(self.checkov.failed_checks(template)))
            found: list[dict[str, str]] = json.loads(answer.read_text())
            return found


@pytest.fixture(scope="session")
def checkov_findings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Findings]:
    base = tmp_path_factory.getbasetemp()
    # Under xdist each worker's base folder sits in the run's own: the workers share the findings of this run only.
    folder = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "checkov-findings"
    folder.mkdir(exist_ok=True)
    checkov = Checkov(base / "checkov.log")
    yield Findings(folder, checkov)
    checkov.close()


def skip_for(finding: dict[str, Any]) -> dict[str, str] | None:
    return next(
        (s for s in SKIPS if s["check"] == finding["check"] and re.fullmatch(s["resource"], finding["resource"])),
        None,
    )


def test_every_skip_has_a_reason() -> None:
    for skip in SKIPS:
        assert set(skip) == {"check", "resource", "reason"}
        assert len(skip["reason"]) > 60, skip


@pytest.mark.parametrize(
    "synthesized_template", SYNTHESIZED_TEMPLATES, ids=[template_id(*t) for t in SYNTHESIZED_TEMPLATES], indirect=True
)
def test_checkov_finds_nothing_unexplained(synthesized_template: tuple[Synth, str], checkov_findings: Findings) -> None:
    synthesis, name = synthesized_template
    unexplained = [f for f in checkov_findings.of(synthesis.template_file(name)) if skip_for(f) is None]
    assert unexplained == []


def test_every_skip_still_matches_a_finding(
    default_synth: Synth,
    every_option_synth: Synth,
    teams_synth: Synth,
    organization_synth: Synth,
    checkov_findings: Findings,
) -> None:
    """Over every template the syntheses wrote (each scanned once in the run): a skip that matches nothing is stale."""
    found = {
        name: checkov_findings.of(synthesis.template_file(name))
        for synthesis in (default_synth, every_option_synth, teams_synth, organization_synth)
        for name in synthesis.templates
    }
    # The member baseline, in `member-baseline/` of the organization's output, is read too.
    assert found[MEMBER_STACK_NAME], "checkov reported nothing on the member baseline: is it reading it?"
    findings = [finding for template in found.values() for finding in template]
    assert findings, "checkov reported no finding at all: is it scanning the templates?"
    used = {id(skip_for(f)) for f in findings}
    assert [s for s in SKIPS if id(s) not in used] == [], "skips that match nothing any more: remove them"

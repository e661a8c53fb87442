"""checkov, a second independent scanner, over every synthesized template: findings fixed or skipped with reasons."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support.project import ROOT
from tests.support.synth import Synth

CHECKOV = ROOT / ".venv-checkov" / "bin" / "checkov"
SKIPS: list[dict[str, str]] = yaml.safe_load((ROOT / "compliance" / "checkov_skips.yaml").read_text())


def failed_checks(assembly: Path) -> list[dict[str, Any]]:
    if not CHECKOV.exists():
        pytest.fail(f"{CHECKOV} is missing: run `make setup` (checkov lives in its own virtual environment)")
    result = subprocess.run(
        [str(CHECKOV), "-d", str(assembly), "--framework", "cloudformation", "--quiet", "--compact", "-o", "json"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode in (0, 1), result.stderr[-2000:]
    reports = json.loads(result.stdout)
    reports = reports if isinstance(reports, list) else [reports]
    return [
        {"check": f["check_id"], "resource": f["resource"].split(".", 1)[1], "file": Path(f["file_path"]).name}
        for report in reports
        for f in report["results"]["failed_checks"]
    ]


def skip_for(finding: dict[str, Any]) -> dict[str, str] | None:
    return next(
        (s for s in SKIPS if s["check"] == finding["check"] and re.fullmatch(s["resource"], finding["resource"])),
        None,
    )


def test_every_skip_has_a_reason() -> None:
    for skip in SKIPS:
        assert set(skip) == {"check", "resource", "reason"}
        assert len(skip["reason"]) > 60, skip


def test_checkov_finds_nothing_unexplained(
    default_synth: Synth, every_option_synth: Synth, teams_synth: Synth, organization_synth: Synth
) -> None:
    findings = (
        failed_checks(default_synth.outdir)
        + failed_checks(every_option_synth.outdir)
        + failed_checks(teams_synth.outdir)
        # The organization stack and, in member-baseline/, the member baseline (checkov reads subfolders).
        + failed_checks(organization_synth.outdir)
    )
    assert "ClaudeMemberBaseline.template.json" in {f["file"] for f in findings}
    assert findings, "checkov reported no finding at all: is it scanning the templates?"
    unexplained = [f for f in findings if skip_for(f) is None]
    assert unexplained == []
    used = {id(skip_for(f)) for f in findings}
    assert [s for s in SKIPS if id(s) not in used] == [], "skips that match nothing any more: remove them"

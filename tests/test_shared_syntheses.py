"""The shared syntheses (tests/support/shared_syntheses.py): written once per run for every worker, a worker's
preparation skips what another is writing, and a failure reaches the test that needs the synthesis."""

from __future__ import annotations

import fcntl
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.support.shared_syntheses import SharedSyntheses, used_by


@dataclass
class Counted:
    """A synthesis that writes its manifest and counts its runs; while `failing`, it leaves a file and fails."""

    runs: int = 0
    failing: bool = False

    def write(self, outdir: Path) -> None:
        self.runs += 1
        if self.failing:
            (outdir / "half-written.json").write_text("{")
            raise RuntimeError("synthesis failed")
        (outdir / "manifest.json").write_text("{}")


def test_each_synthesis_is_written_once_for_every_worker(tmp_path: Path) -> None:
    synthesis = Counted()
    first, second = (SharedSyntheses(tmp_path, {"app": synthesis}) for _ in range(2))  # two workers' views
    first.prepare(["app"])
    assert second.outdir("app") == first.outdir("app") == tmp_path / "app"
    assert synthesis.runs == 1 and (tmp_path / "app" / "manifest.json").exists()


def test_preparing_skips_a_synthesis_another_worker_is_writing(tmp_path: Path) -> None:
    synthesis = Counted()
    shared = SharedSyntheses(tmp_path, {"app": synthesis})
    with (tmp_path / "app.lock").open("w") as other_worker:
        fcntl.flock(other_worker, fcntl.LOCK_EX)
        shared.prepare(["app"])
        assert synthesis.runs == 0
    assert shared.outdir("app") == tmp_path / "app" and synthesis.runs == 1


def test_a_failed_synthesis_fails_the_test_that_needs_it_and_leaves_nothing_behind(tmp_path: Path) -> None:
    synthesis = Counted(failing=True)
    shared = SharedSyntheses(tmp_path, {"app": synthesis})
    shared.prepare(["app"])  # before the first test: not a failure of the session
    assert synthesis.runs == 1 and not (tmp_path / "app.done").exists()
    with pytest.raises(RuntimeError, match="synthesis failed"):
        shared.outdir("app")
    synthesis.failing = False
    assert sorted(p.name for p in shared.outdir("app").iterdir()) == ["manifest.json"]
    assert synthesis.runs == 3


def test_the_syntheses_used_are_those_a_fixture_or_a_parameter_names() -> None:
    items = [
        SimpleNamespace(fixturenames=["tmp_path", "teams_synth"]),
        SimpleNamespace(fixturenames=["request"], callspec=SimpleNamespace(params={"variant": "default_synth"})),
        SimpleNamespace(fixturenames=[], callspec=SimpleNamespace(params={"t": ("organization_synth", "Stack")})),
    ]
    names = ["every_option_synth", "organization_synth", "teams_synth", "default_synth"]
    assert used_by(items, names) == ["organization_synth", "teams_synth", "default_synth"]

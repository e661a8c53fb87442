"""The shared syntheses of a test run (tests/conftest.py): each synthesized once per run, whichever worker needs it.

Under xdist each worker is a process of its own, so a session fixture alone synthesizes once per worker. Instead the
cloud assemblies go to a folder the workers of the run share: the first worker that needs one synthesizes it there
under a file lock, the others wait for it and read it back. Before its first test each worker synthesizes those
that no worker has taken yet (`prepare`), so the workers split them and no test's setup waits for a synthesis.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from tests.support.project import ROOT, config_for

if TYPE_CHECKING:  # the CDK bindings load in the workers only, when they synthesize or read: not in xdist's controller
    from tests.support.synth import Synth


class Synthesis(Protocol):
    def write(self, outdir: Path) -> None:
        """Synthesize into `outdir` (an empty folder); raise if it fails."""


@dataclass(frozen=True)
class InProcess:
    """The app synthesized in this process (tests/support/synth.py): its context over cdk.json; the organization
    stack alone, or every stack."""

    context: Mapping[str, Any] = field(default_factory=dict)
    organization: bool = False

    def write(self, outdir: Path) -> None:
        from tests.support.synth import synth, synth_organization

        (synth_organization if self.organization else synth)(self.context, outdir)

    def read(self, outdir: Path) -> Synth:
        from tests.support.synth import read_organization_synth, read_synth

        config = config_for(**self.context)  # cheap: no synthesis
        return (read_organization_synth if self.organization else read_synth)(config, outdir)


NODE_BIN = ROOT / "node_modules" / ".bin"


def cdk_env() -> dict[str, str]:
    """The environment `make synth` gives the CDK CLI: none of a CLI's own variables left over from a caller."""
    env = {k: v for k, v in os.environ.items() if k not in ("CDK_CONTEXT_JSON", "CDK_OUTDIR", "VIRTUAL_ENV")}
    env["PATH"] = f"{NODE_BIN}{os.pathsep}{env['PATH']}"
    return env | {"CDK_DISABLE_VERSION_CHECK": "1", "CDK_DISABLE_CLI_TELEMETRY": "true"}


@dataclass(frozen=True)
class ThroughTheCli:
    """`cdk synth ARGS` as `make synth` runs it: the pinned CLI, cdk.json's "app" (this project's .venv Python)."""

    args: tuple[str, ...]

    def write(self, outdir: Path) -> None:
        # Without CDK's built-in template validation (about 3 s of CPU to set up its engine in this process): what
        # these tests read is how the CLI's layers reach the app; the same stacks in the same scope and Region are
        # validated by it in every_option_synth (and linted by cfn-lint).
        result = subprocess.run(
            [str(NODE_BIN / "cdk"), "synth", "--quiet", "-o", str(outdir), *self.args],
            cwd=ROOT,
            env={**cdk_env(), "CDK_VALIDATION": "false"},
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert result.returncode == 0, result.stderr[-2000:]


class SharedSyntheses:
    """The syntheses in `folder`: one cloud assembly each, `NAME/`, complete once `NAME.done` exists."""

    def __init__(self, folder: Path, syntheses: Mapping[str, Synthesis]) -> None:
        self.folder, self.syntheses = folder, syntheses

    def outdir(self, name: str) -> Path:
        """Where the synthesis `name` is, synthesized now unless a worker did (or is doing it: then waited for)."""
        self._write_once(name, wait=True)
        return self.folder / name

    def prepare(self, names: Iterable[str]) -> None:
        """Synthesize, one after the other, each of `names` that no worker has written or is writing."""
        for name in names:
            try:
                self._write_once(name, wait=False)
            except Exception:  # left to the tests that use it: their fixture synthesizes again, and fails
                continue

    def _write_once(self, name: str, *, wait: bool) -> None:
        outdir, done = self.folder / name, self.folder / f"{name}.done"
        with (self.folder / f"{name}.lock").open("w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:  # another worker is writing it: `outdir` will wait for it
                return
            if done.exists():
                return
            shutil.rmtree(outdir, ignore_errors=True)  # what a failed attempt left
            outdir.mkdir()
            self.syntheses[name].write(outdir)
            done.touch()


def used_by(items: Iterable[Any], names: Iterable[str]) -> list[str]:
    """Which of `names` (session fixtures) the collected `items` use: as a fixture, or named by a parameter (an
    indirect one, or one a test hands `request.getfixturevalue`), in the order of `names`."""
    used: set[str] = set()
    for item in items:
        used.update(getattr(item, "fixturenames", ()))
        callspec = getattr(item, "callspec", None)
        for value in callspec.params.values() if callspec else ():
            used.update(v for v in (value if isinstance(value, tuple) else (value,)) if isinstance(v, str))
    return [name for name in names if name in used]

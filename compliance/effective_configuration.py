"""The effective configuration a cloud assembly was synthesized with, recorded in the assembly.

Synthesis (app.py) writes `effective-configuration.json` next to the templates: the context every command reads
(cdk.json, the environment file, -c; the CDK CLI's own `aws:` keys left out) and the names of its sources. The
report reads it back, so its fingerprint is of the configuration the templates came from, not of whatever the
report command itself was given.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FILE_NAME = "effective-configuration.json"


@dataclass(frozen=True)
class RecordedConfiguration:
    context: Mapping[str, Any]
    sources: tuple[str, ...]


def write_configuration(assembly: Path, context: Mapping[str, Any], sources: tuple[str, ...]) -> Path:
    path = assembly / FILE_NAME
    path.write_text(json.dumps({"sources": list(sources), "context": dict(context)}, indent=1, sort_keys=True) + "\n")
    return path


def read_configuration(assembly: Path) -> RecordedConfiguration | None:
    """The configuration `assembly` was synthesized with; None for an assembly that holds no record (synthesized
    in-process by a test, or by an older version)."""
    path = assembly / FILE_NAME
    if not path.exists():
        return None
    recorded = json.loads(path.read_text())
    return RecordedConfiguration(dict(recorded["context"]), tuple(recorded["sources"]))

"""What the audit expects of a Region, as plain values: the command line and the continuous audit fill it alike.

`python app.py audit` builds it from the configuration (`compliance.audit.run`); the scheduled audit function in the
account builds it from its environment, which the stack writes at synthesis. The checks read nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Expectations:
    """Retention and data kinds of the configuration, and, when known, the exact configuration the stack puts."""

    retention_days: int
    data: tuple[str, ...]
    # The `loggingConfig` the stack applies (bucket, log group, role): the continuous audit knows it, the command
    # line (which never reads the stacks) does not, and then only presence and settings are checked.
    configuration: Mapping[str, Any] | None = None
    # `data_retention_mode` and `data_retention_storage` (either may be `unmanaged`); None: not audited (a continuous
    # audit deployed before data retention was managed).
    retention_mode: str | None = None
    retention_storage: str | None = None

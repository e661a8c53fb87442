"""One botocore data loader for every session of the test process.

A new session reads and parses again every service model and endpoint file it uses (EC2's model alone takes ~0.2 s),
and the tests make sessions everywhere: their own, the commands' (compliance/aws.py starts one per run), the
invoker's, moto's (to list Regions and parse requests). `share_one_loader`, called by tests/conftest.py before any
test, hands them all one loader, as botocore's `create_loader` would make it. The loader caches only the JSON files
botocore and boto3 ship, which no test changes; everything else (event handlers, credentials, clients) stays with
each session.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable

import botocore.loaders
import botocore.session


class _OncePerPath(list[str]):
    """The loader's search paths: boto3 appends its own data folder for each new session; kept once."""

    def __init__(self, paths: Iterable[str] = ()) -> None:
        super().__init__(dict.fromkeys(paths))

    def append(self, path: str) -> None:
        if path not in self:
            super().append(path)


@functools.cache
def _loader(search_path_string: str | None) -> botocore.loaders.Loader:
    """What botocore.loaders.create_loader makes of AWS_DATA_PATH, once per value."""
    extra = search_path_string.split(os.pathsep) if search_path_string else []
    paths = _OncePerPath(os.path.expanduser(os.path.expandvars(path)) for path in extra)
    return botocore.loaders.Loader(extra_search_paths=paths)


def share_one_loader() -> None:
    """Every botocore session made from now on in this process reads the shipped JSON through one loader (per
    AWS_DATA_PATH): botocore.session registers its loader with `create_loader`, looked up when first needed."""
    botocore.session.create_loader = _loader

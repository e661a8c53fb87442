"""boto3 sessions for the tests that share one botocore data loader.

A new session would read and parse again every service model and endpoint file it uses (EC2's model alone takes
~0.2 s). The loader caches only the JSON files that botocore and boto3 ship, which no test changes. Everything else
(event handlers, credentials, clients) stays with each session.
"""

from __future__ import annotations

import functools
from typing import Any

import boto3
import botocore.loaders
import botocore.session


@functools.cache
def shared_loader() -> botocore.loaders.Loader:
    loader: botocore.loaders.Loader = botocore.session.Session().get_component("data_loader")
    return loader


def new_session(**options: Any) -> boto3.Session:
    """`boto3.Session(**options)`, reading the service models through `shared_loader`."""
    core = botocore.session.Session()
    core.register_component("data_loader", shared_loader())
    session = boto3.Session(botocore_session=core, **options)
    # boto3 appends its own data folder to the loader's search paths for each session: keep one of each.
    shared_loader().search_paths[:] = list(dict.fromkeys(shared_loader().search_paths))
    return session

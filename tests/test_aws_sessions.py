"""The tests' one botocore data loader (tests/support/aws_sessions.py, installed by tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import boto3
import botocore.loaders
import botocore.session
import pytest


def loader_of(session: botocore.session.Session) -> botocore.loaders.Loader:
    loader: botocore.loaders.Loader = session.get_component("data_loader")
    return loader


def test_every_session_reads_the_shipped_files_through_one_loader() -> None:
    first, second = botocore.session.Session(), boto3.Session()._session  # boto3's own botocore session
    assert loader_of(first) is loader_of(second)


def test_boto3_adds_its_data_folder_once_however_many_sessions() -> None:
    sessions = [boto3.Session() for _ in range(3)]
    paths = loader_of(sessions[0]._session).search_paths
    assert len(paths) == len(set(paths)) and any(path.endswith("boto3/data") for path in paths)


def test_another_data_path_gets_a_loader_of_its_own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shipped = loader_of(botocore.session.Session())
    monkeypatch.setenv("AWS_DATA_PATH", str(tmp_path))
    own = loader_of(botocore.session.Session())
    assert own is not shipped and str(tmp_path) in own.search_paths

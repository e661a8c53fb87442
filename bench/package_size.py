"""Deployment package: the invoker function's asset zipped as CDK zips it, and what it must not contain.

CDK stages `lambda/invoker` without `**/__pycache__`, `*.pyc` and dotfiles (stacks/invoker/construct.py) and zips it
with deflate; this does the same in memory. boto3/botocore come from the Lambda runtime, so neither (nor their
dependencies) may be bundled; nor may libraries the function does without (Powertools, the anthropic SDK).

  python bench/package_size.py
"""

from __future__ import annotations

import io
import sys
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import CODE_ROOT, Row, Section, asset_files

TARGET_BYTES = 100 * 1024  # "tens of KB"
FORBIDDEN = ("boto3", "botocore", "s3transfer", "urllib3", "jmespath", "dateutil", "aws_lambda_powertools", "anthropic")


def zipped(root: Path) -> tuple[int, int, int, list[str]]:
    """(zip bytes, uncompressed bytes, file count, archive names) of the asset under `root`."""
    buffer = io.BytesIO()
    names: list[str] = []
    raw = 0
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in asset_files(root):
            name = path.relative_to(root).as_posix()
            archive.write(path, name)
            names.append(name)
            raw += path.stat().st_size
    return len(buffer.getvalue()), raw, len(names), names


def run() -> Section:
    section = Section("Deployment package")
    started = time.perf_counter()
    size, raw, count, names = zipped(CODE_ROOT)
    bundled = sorted({part for name in names for part in name.split("/")[:-1] if part in FORBIDDEN})
    bundled += sorted(name for name in names if name.split("/")[0].removesuffix(".py") in FORBIDDEN)
    section.rows.append(
        Row(
            "3. Package",
            f"lambda/invoker zipped ({count} files, {raw / 1024:.1f} KB unzipped)",
            f"{size / 1024:.1f} KB",
            "",
            "tens of KB",
            "met" if size <= TARGET_BYTES else "MISSED",
        )
    )
    section.rows.append(
        Row(
            "3. Package",
            "no boto3/botocore/Powertools bundled",
            "none found" if not bundled else ", ".join(bundled),
            "",
            "none",
            "met" if not bundled else "MISSED",
        )
    )
    section.notes.append("Files: " + ", ".join(names) + ".")
    section.seconds = time.perf_counter() - started
    return section


if __name__ == "__main__":
    result = run()
    for r in result.rows:
        print(f"{r.variant:60} {r.value:16} {r.target:12} {r.status}")
    print("\n".join(result.notes))

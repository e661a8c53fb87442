"""The documentation stays true: generated tables match their owners, links resolve, nothing points outside."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support.synth import Synth
from tools import doc_tables
from tools.doc_tables import DIAGRAMS, TABLES

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)\)")


@pytest.mark.parametrize("name", TABLES)
def test_each_generated_table_matches_its_owner(name: str) -> None:
    document, render = TABLES[name]
    assert doc_tables.current_text(name) == render(), f"{document}: the {name} table is stale; run `make docs`"


@pytest.mark.parametrize("name", DIAGRAMS)
def test_each_generated_picture_matches_a_fresh_synthesis(name: str, default_synth: Synth) -> None:
    """README's overview and the architecture page are what the templates of cdk.json's configuration say."""
    document, render = DIAGRAMS[name]
    assert doc_tables.current_text(name) == render(default_synth.outdir), (
        f"{document}: {name} is stale; run `make docs`"
    )


def test_a_stale_picture_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, default_synth: Synth) -> None:
    """The picture can fail: an arrow removed from the page by hand is named, and --write puts it back."""
    for other in {document for document, _ in [*TABLES.values(), *DIAGRAMS.values()]}:
        (tmp_path / other).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / other).write_text((ROOT / other).read_text())
    page = tmp_path / DIAGRAMS["architecture"][0]
    original = page.read_text()
    arrow = next(line for line in original.splitlines() if '-- "notifies" -->' in line)
    page.write_text(original.replace(arrow + "\n", ""))
    monkeypatch.setattr(doc_tables, "ROOT", tmp_path)
    monkeypatch.setattr(doc_tables, "default_assembly", lambda: default_synth.outdir)
    assert doc_tables.main(["doc_tables"]) == 1
    assert doc_tables.main(["doc_tables", "--write"]) == 0
    assert page.read_text() == original


def test_a_stale_table_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, default_synth: Synth) -> None:
    """The check can fail: a document whose table lost a row is named, and --write puts the row back."""
    monkeypatch.setattr(doc_tables, "default_assembly", lambda: default_synth.outdir)
    for other, _ in [*TABLES.values(), *DIAGRAMS.values()]:
        (tmp_path / other).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / other).write_text((ROOT / other).read_text())
    document, render = TABLES["models"]
    copy = tmp_path / document
    original = copy.read_text()
    first_row = render().splitlines()[2]
    copy.write_text(original.replace(first_row + "\n", ""))
    monkeypatch.setattr(doc_tables, "ROOT", tmp_path)
    assert doc_tables.main(["doc_tables"]) == 1
    assert doc_tables.main(["doc_tables", "--write"]) == 0
    assert copy.read_text() == original


def anchors(path: Path) -> set[str]:
    """The anchors GitHub gives a Markdown document: each heading's slug (lower case, punctuation but `-` and `_`
    dropped, spaces to `-`, a repeated slug numbered -1, -2...), and explicit `<a name>`/`id` anchors."""
    found: set[str] = set()
    in_code = False
    for line in path.read_text().splitlines():
        if line.startswith("```"):
            in_code = not in_code
        if in_code or not line.startswith("#"):
            continue
        heading = re.sub(r"^#+\s*", "", line).strip()
        slug = re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
        numbered, n = slug, 0
        while numbered in found:
            n += 1
            numbered = f"{slug}-{n}"
        found.add(numbered)
    found.update(re.findall(r'<a (?:name|id)="([^"]+)"', path.read_text()))
    return found


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_links_stay_inside_the_repository_and_resolve(path: Path) -> None:
    """Every relative link names a file of the repository, and every anchor (`page.md#heading`, `#heading`) a
    heading of the page it points to."""
    for target in LINK.findall(path.read_text()):
        if target.startswith(("http://", "https://", "mailto:")):
            continue
        file_part, _, anchor = target.partition("#")
        resolved = (path.parent / file_part).resolve() if file_part else path
        assert resolved.is_relative_to(ROOT), f"{path.name} links outside the repository: {target}"
        assert resolved.exists(), f"{path.name} links to a missing file: {target}"
        if anchor and resolved.suffix == ".md":
            assert anchor in anchors(resolved), f"{path.name} links to a missing anchor: {target}"


def test_the_anchor_check_can_fail(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("# Title\n\n## Scopes and destination Regions (`core/x.py`)\n\n## Notes\n\n## Notes\n")
    assert anchors(page) == {"title", "scopes-and-destination-regions-corexpy", "notes", "notes-1"}
    assert "scopes-and-destination-regions" not in anchors(page)


def test_the_readme_stays_short() -> None:
    lines = (ROOT / "README.md").read_text().count("\n")
    assert lines <= 200, f"README.md has {lines} lines; move detail into docs/"


def test_every_test_the_threat_table_names_exists() -> None:
    """docs/compliance/threats.md names the test of each control: each must exist, so the table cannot go stale."""
    named: list[tuple[str, str]] = []
    for row in (ROOT / "docs" / "compliance" / "threats.md").read_text().splitlines():
        if not row.startswith("| ") or row.startswith(("| Threat", "| ---")):
            continue
        current = ""
        for path, name in re.findall(r"`(tests/[\w/]+\.py)?(?:::(\w+))?`", row.split(" | ")[-1]):
            current = path or current
            if name:
                named.append((current, name))
            elif path:
                named.append((path, ""))
    assert len(named) >= 20
    for path, name in named:
        source = (ROOT / path).read_text()
        assert not name or f"def {name}(" in source, f"threats.md names {path}::{name}, which does not exist"

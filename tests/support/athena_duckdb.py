"""The Glue table of `core.usage.athena`, on DuckDB: the same columns over gzipped JSON files on disk.

Athena reads every object under a partition's location with the OpenX JSON SerDe, which matches lower-cased column
names to JSON keys case-insensitively. DuckDB's JSON reader matches keys exactly, so each column is given here by
the JSON key it reads (`Field.key`, as in the records) while queries use the lower-case names (DuckDB identifiers
are case-insensitive). The partition `dt` is taken from the path, as projection would give it. Every file under the
table root is read, sidecar bodies under `<HH>/data/` included, as Athena would if it reads sub-folders.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from core.usage.athena import COLUMNS, PARTITION, TABLE_NAME, Field

_TYPES = {"string": "VARCHAR", "bigint": "BIGINT", "int": "INTEGER"}


def duckdb_type(field: Field) -> str:
    if isinstance(field.type, str):
        return _TYPES[field.type]
    return "STRUCT(" + ", ".join(f'"{f.key}" {duckdb_type(f)}' for f in field.type) + ")"


def connect(table_root: Path, *, read_once: bool = False) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with a view named like the Glue table over every file below `table_root`; with
    `read_once`, a table of what the same view reads now, for many queries over files that do not change."""
    connection = duckdb.connect()
    connection.execute("SET TimeZone = 'UTC'")
    columns = "{" + ", ".join(f"'{f.key}': '{duckdb_type(f)}'" for f in COLUMNS) + "}"
    files = (table_root / "**" / "*.json.gz").as_posix()
    connection.execute(
        f"""
        CREATE {"TABLE" if read_once else "VIEW"} {TABLE_NAME} AS
        SELECT * EXCLUDE (filename),
               regexp_extract(filename, 'BedrockModelInvocationLogs/[^/]+/(\\d{{4}}/\\d{{2}}/\\d{{2}}/\\d{{2}})/', 1)
                 AS {PARTITION}
        FROM read_json('{files}', format = 'newline_delimited', compression = 'gzip', columns = {columns},
                       filename = true, ignore_errors = true)
        """
    )
    return connection

"""A Glue database and an external table over files in S3, the shape both Athena tables of the project share (the
invocation logs, the CUR 2.0 export); what differs (columns, formats, projection) is each one's core data."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from aws_cdk import Stack
from aws_cdk import aws_glue as glue
from constructs import Construct


@dataclass(frozen=True)
class ExternalTable:
    """One table: its name, columns (name, Hive type), partition key, S3 location, formats and table parameters."""

    name: str
    description: str
    columns: Sequence[tuple[str, str]]
    partition: str
    location: str
    input_format: str
    output_format: str
    serde: str
    parameters: Mapping[str, str]
    serde_parameters: Mapping[str, str] = field(default_factory=dict)


def database(scope: Construct, construct_id: str, *, name: str, description: str) -> glue.CfnDatabase:
    return glue.CfnDatabase(
        scope,
        construct_id,
        catalog_id=Stack.of(scope).account,
        database_input=glue.CfnDatabase.DatabaseInputProperty(name=name, description=description),
    )


def external_table(
    scope: Construct, construct_id: str, *, in_database: glue.CfnDatabase, database_name: str, table: ExternalTable
) -> glue.CfnTable:
    created = glue.CfnTable(
        scope,
        construct_id,
        catalog_id=Stack.of(scope).account,
        database_name=database_name,
        table_input=glue.CfnTable.TableInputProperty(
            name=table.name,
            description=table.description,
            table_type="EXTERNAL_TABLE",
            parameters=dict(table.parameters),
            partition_keys=[glue.CfnTable.ColumnProperty(name=table.partition, type="string")],
            storage_descriptor=glue.CfnTable.StorageDescriptorProperty(
                columns=[glue.CfnTable.ColumnProperty(name=n, type=t) for n, t in table.columns],
                location=table.location,
                input_format=table.input_format,
                output_format=table.output_format,
                serde_info=glue.CfnTable.SerdeInfoProperty(
                    serialization_library=table.serde,
                    parameters=dict(table.serde_parameters) if table.serde_parameters else None,
                ),
            ),
        ),
    )
    created.add_resource_dependency(in_database)
    return created

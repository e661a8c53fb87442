"""Stack: the CUR 2.0 export with IAM principal data (`cost_export`), once, in us-east-1 (`core.usage.cost_export`).

Deploy it where the bill is: the management account of an organization sees every member's spend.
"""

from __future__ import annotations

from typing import Any

from aws_cdk import CfnOutput, Stack
from constructs import Construct

from core.usage.cost_export import DATABASE_NAME, TABLE_NAME
from stacks.cost_export.construct import ClaudeCostExport, CostExportProps


class CostExportStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, *, props: CostExportProps, **kwargs: Any) -> None:
        super().__init__(scope, construct_id, **kwargs)
        built = ClaudeCostExport(self, "ClaudeCostExport", props=props)
        CfnOutput(self, "CostExportBucketName", value=built.bucket.bucket_name, description="CUR 2.0 files (Parquet)")
        CfnOutput(self, "CostExportArn", value=built.export.attr_export_arn, description="The CUR 2.0 data export")
        CfnOutput(self, "CostExportTable", value=f"{DATABASE_NAME}.{TABLE_NAME}", description="Query it with Athena")

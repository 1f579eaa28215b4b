"""us-east-1 prices that used to be "price unknown", now from sourced figures (golden values)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cloudwright.design.model import Design, Resource
from cloudwright.pricing.catalog import load_catalog
from cloudwright.pricing.engine import price_design
from cloudwright.pricing.model import PriceQuery


@pytest.mark.parametrize(
    ("service", "attrs", "usd", "verified"),
    [
        ("AWSAppSync", {"usagetype": "AppSync-Query-Mutation"}, "0.000004", False),
        ("AWSAppSync", {"usagetype": "AppSync-RealTime-Updates"}, "0.000002", True),
        ("AWSAppSync", {"usagetype": "AppSync-Connection-Minutes"}, "0.00000008", True),
        ("AWSCloudTrail", {"usagetype": "DataEventsRecorded"}, "0.000001", True),
        ("AmazonEFS", {"usagetype": "TimedStorage-ByteHrs"}, "0.30", True),
        ("AmazonRoute53", {"usagetype": "Health-Check-AWS"}, "0.50", False),
        ("AmazonCloudFront", {"usagetype": "Executions-CloudFrontFunctions"}, "0.0000001", False),
        ("AmazonS3", {"usagetype": "TimedStorage-SIA-ByteHrs"}, "0.0125", False),
        ("AmazonS3", {"usagetype": "TimedStorage-ZIA-ByteHrs"}, "0.01", False),
        ("AmazonS3", {"usagetype": "TimedStorage-INT-FA-ByteHrs"}, "0.023", False),
        ("AmazonS3", {"usagetype": "TimedStorage-GIR-ByteHrs"}, "0.004", False),
        ("AmazonS3", {"usagetype": "TimedStorage-GlacierByteHrs"}, "0.0036", False),
        ("AmazonS3", {"usagetype": "TimedStorage-GDA-ByteHrs"}, "0.00099", False),
        ("AmazonElastiCache", {"instanceType": "cache.r6g.large", "cacheEngine": "Valkey"}, "0.1648", True),
        ("AmazonRDS", {"instanceType": "db.r5.large", "databaseEngine": "Aurora MySQL"}, "0.29", True),
        ("AmazonApiGateway", {"cacheMemorySizeGb": "0.5"}, "0.02", True),
        ("AmazonApiGateway", {"cacheMemorySizeGb": "237"}, "3.80", True),
        ("AmazonApiGateway", {"cacheMemorySizeGb": "6.1"}, "0.20", False),
        ("AmazonApiGateway", {"cacheMemorySizeGb": "13.5"}, "0.25", False),
        ("AmazonApiGateway", {"cacheMemorySizeGb": "28.4"}, "0.50", False),
        ("AmazonApiGateway", {"cacheMemorySizeGb": "58.2"}, "1.00", False),
        ("AmazonApiGateway", {"cacheMemorySizeGb": "118"}, "1.90", False),
        ("AWSLambda", {"usagetype": "Lambda-Provisioned-Concurrency-ARM"}, "0.0000033334", False),
        ("AWSLambda", {"usagetype": "Lambda-Provisioned-GB-Second-ARM"}, "0.0000077778", False),
        ("AmazonKinesisFirehose", {"usagetype": "BilledBytes"}, "0.029", False),
        (
            "AmazonRDS",
            {"usagetype": "Aurora:IO-OptimizedStorageUsage", "databaseEngine": "Aurora MySQL"},
            "0.225",
            True,
        ),
        ("AmazonRDS", {"instanceType": "db.r7g.xlarge", "databaseEngine": "Aurora MySQL"}, "0.553", True),
        ("AmazonRDS", {"instanceType": "db.r8g.8xlarge", "databaseEngine": "Aurora MySQL"}, "4.416", True),
        (
            "AmazonRDS",
            {"instanceType": "db.r7g.2xlarge", "databaseEngine": "Aurora PostgreSQL"},
            "1.106",
            True,
        ),
        (
            "AmazonCloudFront",
            {"requestType": "CloudFront-Request-HTTPS", "fromLocation": "Japan"},
            "0.0000012",
            True,
        ),
        ("AmazonCloudFront", {"transferType": "CloudFront to Origin", "fromLocation": "India"}, "0.16", True),
        # Rows behind the infracost usage keys (infracost goldens, AWS Price List values).
        ("AmazonEC2", {"usagetype": "EBS:VolumeUsage", "volumeApiName": "standard"}, "0.05", True),
        ("AmazonEC2", {"usagetype": "EBS:VolumeIOUsage"}, "0.00000005", True),
        ("AmazonEFS", {"usagetype": "IATimedStorage-ByteHrs"}, "0.025", True),
        ("AmazonEFS", {"usagetype": "IATimedStorage-Z-ByteHrs"}, "0.0133", True),
        ("AmazonEFS", {"accessType": "Read"}, "0.01", True),
        ("AmazonEFS", {"accessType": "Write"}, "0.01", True),
        ("AmazonRDS", {"usagetype": "RDS:STANDARD-Storage"}, "0.10", True),
        ("AmazonRDS", {"usagetype": "RDS:StorageIOUsage"}, "0.0000001", True),
        ("AmazonRDS", {"usagetype": "PI_API"}, "0.00001", True),
        ("AmazonRDS", {"usagetype": "CPUCredits:db.t3", "databaseEngine": "MySQL"}, "0.075", True),
        ("AmazonRDS", {"usagetype": "Aurora:BacktrackUsage"}, "0.000000012", True),
        (
            "AmazonRDS",
            {"usagetype": "Aurora:SnapshotExportToS3", "databaseEngine": "Aurora MySQL"},
            "0.01",
            True,
        ),
        (
            "AmazonRDS",
            {"usagetype": "Aurora:SnapshotExportToS3", "databaseEngine": "Aurora PostgreSQL"},
            "0.01",
            True,
        ),
        ("AmazonCloudFront", {"usagetype": "Executions-FLE"}, "0.000002", True),
        ("AmazonCloudFront", {"usagetype": "RealTimeLog-LogLines"}, "0.00000001", True),
        ("AmazonCloudFront", {"usagetype": "SSL-Cert-Custom"}, "600", True),
        ("AmazonCloudFront", {"usagetype": "OS-SA-Requests"}, "0.0000016", True),
        ("AmazonEC2", {"usagetype": "EBS:VolumeP-Throughput.gp3"}, "0.04", True),
        ("AmazonRDS", {"usagetype": "RDS:ChargedBackupUsage", "engineFamily": "open-source"}, "0.095", True),
        (
            "AmazonRDS",
            {"usagetype": "Aurora:StorageUsage", "databaseEngine": "Aurora MySQL", "storageMode": "Standard"},
            "0.10",
            True,
        ),
        (
            "AmazonRDS",
            {"usagetype": "Aurora:StorageIOUsage", "databaseEngine": "Aurora MySQL"},
            "0.0000002",
            True,
        ),
        ("AmazonRDS", {"usagetype": "Aurora:BackupUsage", "databaseEngine": "Aurora MySQL"}, "0.021", True),
        (
            "AmazonRDS",
            {
                "instanceType": "db.m5.xlarge",
                "engineFamily": "sqlserver-se",
                "licenseModel": "License included",
            },
            "1.224",
            True,
        ),
        (
            "AmazonEC2",
            {"instanceType": "t2.small", "operatingSystem": "Linux", "tenancy": "Shared"},
            "0.023",
            True,
        ),
    ],
)
def test_closed_gap(service: str, attrs: dict[str, str], usd: str, verified: bool) -> None:
    found = load_catalog(include_imported=False).candidates(PriceQuery(service, "us-east-1").where(**attrs))
    assert len(found) == 1, [r.sku for r in found]
    row = found[0]
    assert row.first_price == Decimal(usd) and not row.price_unknown
    assert row.verified is verified and row.source


def _rds_hours(**props: object) -> tuple[str, Decimal | None]:
    db = Resource(logical_id="Db", type="AWS::RDS::DBInstance", properties={"AllocatedStorage": 20, **props})
    line = price_design(Design(resources=[db], region="us-east-1")).resources[0].line_items[0]
    return line.status, line.monthly_usd


@pytest.mark.parametrize(
    ("props", "monthly"),
    [
        ({"Engine": "sqlserver-ex", "DBInstanceClass": "db.t3.large"}, "118.26"),
        ({"Engine": "sqlserver-web", "DBInstanceClass": "db.t3.large"}, "169.36"),
        ({"Engine": "sqlserver-ee", "DBInstanceClass": "db.m5.xlarge"}, "1705.28"),
        (
            {"Engine": "oracle-se2", "DBInstanceClass": "db.t3.large", "LicenseModel": "license-included"},
            "219.00",
        ),
        # Oracle SE2 is also sold bring-your-own-licence: an unset licence model is not guessed.
        ({"Engine": "oracle-se2", "DBInstanceClass": "db.t3.large"}, None),
        (
            {
                "Engine": "oracle-se2",
                "DBInstanceClass": "db.t3.large",
                "LicenseModel": "bring-your-own-license",
            },
            None,
        ),
        # No Multi-AZ figure for a commercial engine: not two Single-AZ instances.
        ({"Engine": "sqlserver-ex", "DBInstanceClass": "db.t3.large", "MultiAZ": True}, None),
    ],
)
def test_commercial_rds_engines(props: dict[str, object], monthly: str | None) -> None:
    status, usd = _rds_hours(**props)
    if monthly is None:
        assert status == "price-unknown" and usd is None
    else:
        assert usd == Decimal(monthly)

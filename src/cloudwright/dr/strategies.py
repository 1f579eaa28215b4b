"""The four AWS disaster-recovery strategies and the RTO/RPO each one gives a design.

RTO is the sum of the strategy's failover steps (detection, promotion, provisioning, scale-up, restore,
DNS TTL) and RPO is the replication lag of the slowest replicated data store, or the backup interval
for backup & restore (``data/dr/strategies.yaml``, every figure with its source). Nothing here is a
flat zero: a strategy's figures come from the steps the design actually needs.
"""

from __future__ import annotations

from functools import cache
from importlib import resources as importlib_resources
from typing import Any

from cloudwright.design.model import Design

#: Strategies from the cheapest and slowest to the dearest and fastest (the order the report uses).
STRATEGIES: tuple[str, ...] = ("backup-restore", "pilot-light", "warm-standby", "active-active")

#: CloudFormation types that run compute which must scale out (or be created) on failover.
INSTANCE_TYPES = frozenset(
    {
        "AWS::AutoScaling::AutoScalingGroup",
        "AWS::ECS::Service",
        "AWS::EC2::Instance",
        "AWS::EKS::Nodegroup",
    }
)


@cache
def table() -> dict[str, Any]:
    import yaml

    text = importlib_resources.files("cloudwright").joinpath("data/dr/strategies.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    assert isinstance(data, dict)
    return data


def data_stores(design: Design) -> list[str]:
    """Replicated data-store kinds present in a design (keys of ``promotion``/``replication``)."""
    kinds: set[str] = set()
    for r in design.resources:
        if r.type in ("AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable"):
            kinds.add("dynamodb-global-table")
        elif r.type == "AWS::RDS::DBCluster":
            kinds.add("aurora-global")
        elif r.type == "AWS::RDS::DBInstance" and r.prop("DBClusterIdentifier") is None:
            kinds.add("rds-cross-region-replica")
    return sorted(kinds)


def recovery(design: Design, strategy: str) -> dict[str, Any]:
    """RTO and RPO of ``strategy`` for ``design``, with the steps they are the sum/max of."""
    data = table()
    spec = data["strategies"][strategy]
    stores = data_stores(design)
    has_instances = any(r.type in INSTANCE_TYPES for r in design.resources)
    steps: list[dict[str, Any]] = []
    for name in spec["rto_steps"]:
        if name == "promotion":
            rows = [(k, data["promotion"][k]) for k in stores]
            if not rows:
                continue
            kind, row = max(rows, key=lambda kv: kv[1]["minutes"])
            steps.append({"step": f"promotion ({kind})", **row})
        elif name == "scale_up":
            row = data["scale_up"]["instances" if has_instances else "serverless"]
            steps.append({"step": "scale-up", **row})
        else:
            steps.append({"step": name.replace("_", " "), **data["steps"][name]})
    rto = round(sum(float(s["minutes"]) for s in steps), 3)
    if spec["rpo"] == "backup_interval":
        rpo_row = {"step": "backup interval", **data["backup_interval"]}
    else:
        rows = [(k, data["replication"][k]) for k in stores]
        if rows:
            kind, row = max(rows, key=lambda kv: kv[1]["minutes"])
            rpo_row = {"step": f"replication lag ({kind})", **row}
        else:
            # nothing stateful to replicate: the data RPO is bounded by nothing the design holds
            rpo_row = {
                "step": "no replicated data store",
                "minutes": 0,
                "how": "the design keeps no database; objects replicate with S3 replication",
                "source": data["source"],
            }
    return {
        "strategy": strategy,
        "name": spec["name"],
        "band": spec["band"],
        "secondary": spec["secondary"],
        "rto_minutes": rto,
        "rpo_minutes": round(float(rpo_row["minutes"]), 3),
        "rto_steps": steps,
        "rpo_basis": rpo_row,
        "source": data["source"],
    }

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


#: The replicated data-store kind of a type (an RDS instance in a cluster is part of its cluster's kind).
_STORE_KINDS = {
    "AWS::DynamoDB::Table": "dynamodb-global-table",
    "AWS::DynamoDB::GlobalTable": "dynamodb-global-table",
    "AWS::RDS::DBCluster": "aurora-global",
    "AWS::RDS::DBInstance": "rds-cross-region-replica",
}


def _kinds(design: Design) -> tuple[list[str], bool]:
    """:func:`data_stores` of ``design`` and whether it runs compute of :data:`INSTANCE_TYPES` (one pass
    over the resources)."""
    kinds: set[str] = set()
    has_instances = False
    for r in design.resources:
        t = r.type
        kind = _STORE_KINDS.get(t)
        if kind is not None:
            if t != "AWS::RDS::DBInstance" or r.properties.get("DBClusterIdentifier") is None:
                kinds.add(kind)
        elif not has_instances and t in INSTANCE_TYPES:
            has_instances = True
    return sorted(kinds), has_instances


def data_stores(design: Design) -> list[str]:
    """Replicated data-store kinds present in a design (keys of ``promotion``/``replication``)."""
    return _kinds(design)[0]


def recovery(design: Design, strategy: str) -> dict[str, Any]:
    """RTO and RPO of ``strategy`` for ``design``, with the steps they are the sum/max of."""
    return _recovery(strategy, *_kinds(design))


def recoveries(design: Design) -> dict[str, dict[str, Any]]:
    """:func:`recovery` of every strategy (in :data:`STRATEGIES` order) for ``design``."""
    stores, has_instances = _kinds(design)
    return {s: _recovery(s, stores, has_instances) for s in STRATEGIES}


def _recovery(strategy: str, stores: list[str], has_instances: bool) -> dict[str, Any]:
    """:func:`recovery` of a design with the data-store kinds ``stores`` (and instances or not)."""
    data = table()
    spec = data["strategies"][strategy]
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

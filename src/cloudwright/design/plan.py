"""Plans derived from the design graph: the network/security plan, the checklist and the roadmap.

Everything here is generated from the actual resources (their types, properties and placement), so a
serverless design gets no VPC tasks and a three-tier design names its subnets, NAT gateways and
security-group rules. The checklist uses the six phases of the original designer (Planning,
Foundation, Core Services, Security, Monitoring, CI/CD); the roadmap uses the phases and week ranges of
the Well-Architected foundation's implementation roadmap.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from cloudwright.design.model import Design, Resource, dict_or_empty, list_or_empty
from cloudwright.design.types import config_summary, short_value, type_info
from cloudwright.units import JsonValue, usd


class Task(BaseModel):
    model_config = ConfigDict(extra="forbid")

    task: str
    resources: list[str] = Field(default_factory=list)


class Phase(BaseModel):
    model_config = ConfigDict(extra="forbid")

    phase: str
    tasks: list[Task] = Field(default_factory=list)


class RoadmapPhase(BaseModel):
    model_config = ConfigDict(extra="forbid")

    phase: str
    weeks: str
    goal: str = ""
    items: list[Task] = Field(default_factory=list)


_TIER_ORDER = {"public": 0, "private": 1, "data": 2}
#: Property names that carry encryption settings (case-sensitive so ``Essential`` does not match ``sse``).
_ENC_KEY = re.compile(r"[Ee]ncrypt|KMS|Kms|kms|SSE|Sse(?=[A-Z])|SecureTransport")
#: ``_ENC_KEY`` matched per property name (names repeat across resources; emptied when it grows large)
_ENC_KEY_SEEN: dict[str, bool] = {}


def _enc_key(key: object) -> bool:
    name = str(key)
    hit = _ENC_KEY_SEEN.get(name)
    if hit is None:
        if len(_ENC_KEY_SEEN) > 50_000:
            _ENC_KEY_SEEN.clear()
        hit = _ENC_KEY_SEEN[name] = _ENC_KEY.search(name) is not None
    return hit


# ------------------------------------------------------------------------------------------------
# network and security plan
# ------------------------------------------------------------------------------------------------
def network_plan(design: Design) -> dict[str, Any]:
    """Subnets, NAT strategy, endpoints, security-group rules, IAM roles and encryption, from the graph."""
    res = design.sorted_resources()
    vpcs = [
        {
            "logical_id": r.logical_id,
            "cidr": short_value(r.prop("CidrBlock", "")),
            "region": r.placement.region,
        }
        for r in res
        if r.type == "AWS::EC2::VPC"
    ]
    subnets = sorted(
        (
            {
                "logical_id": r.logical_id,
                "cidr": short_value(r.prop("CidrBlock", "")),
                "az": r.placement.azs[0] if r.placement.azs else short_value(r.prop("AvailabilityZone", "")),
                "tier": r.placement.tier,
                "vpc": r.placement.vpc or _ref(r.prop("VpcId")) or "",
            }
            for r in res
            if r.type == "AWS::EC2::Subnet"
        ),
        key=lambda s: (s["vpc"], _TIER_ORDER.get(s["tier"], 9), s["az"], s["logical_id"]),
    )
    nats = [r for r in res if r.type == "AWS::EC2::NatGateway"]
    az_count = len({s["az"] for s in subnets})
    if not nats:
        strategy = (
            "none" if not vpcs else "no NAT gateway: private subnets reach AWS services through VPC endpoints"
        )
    elif len(nats) >= max(az_count, 2):
        strategy = f"one NAT gateway per AZ ({len(nats)}): an AZ failure does not cut egress of the others"
    else:
        strategy = (
            f"{len(nats)} shared NAT gateway(s) for {az_count} AZ(s): cheaper, but egress depends on one AZ"
        )
    endpoints = [
        {
            "logical_id": r.logical_id,
            "service": _endpoint_service(r.prop("ServiceName")),
            "type": str(r.prop("VpcEndpointType", "Gateway")),
        }
        for r in res
        if r.type == "AWS::EC2::VPCEndpoint"
    ]
    return {
        "vpcs": vpcs,
        "subnets": subnets,
        "nat": {"count": len(nats), "strategy": strategy, "gateways": [r.logical_id for r in nats]},
        "endpoints": endpoints,
        "security_groups": security_groups(design),
        "iam_roles": iam_roles(design),
        "encryption": encryption(design),
        "plan": design.network,
    }


def _ref(value: JsonValue) -> str | None:
    from cloudwright.cfn.intrinsics import ref_target

    return ref_target(value)


def _endpoint_service(value: JsonValue) -> str:
    text = short_value(value) if value is not None else ""
    m = re.search(r"\.([a-z0-9-]+)$", text)
    return m.group(1) if m else text


def _rule(rule: dict[str, JsonValue], *, direction: str) -> dict[str, str]:
    proto = str(rule.get("IpProtocol", "tcp"))
    lo, hi = rule.get("FromPort"), rule.get("ToPort")
    if proto in ("-1", "all") or lo is None:
        ports = "all"
    else:
        ports = str(lo) if lo == hi or hi is None else f"{lo}-{hi}"
    peer_key = "SourceSecurityGroupId" if direction == "in" else "DestinationSecurityGroupId"
    peer = (
        _ref(rule.get(peer_key))
        or rule.get("CidrIp")
        or rule.get("CidrIpv6")
        or rule.get("DestinationPrefixListId")
        or short_value(rule.get(peer_key, "?"))
    )
    if peer == "127.0.0.1/32" and direction == "out":
        peer = "127.0.0.1/32 (no outbound traffic)"
    return {"protocol": "all" if proto == "-1" else proto, "ports": ports, "peer": str(peer)}


def security_groups(design: Design) -> list[dict[str, Any]]:
    groups: dict[str, dict[str, Any]] = {}
    for r in design.sorted_resources():
        if r.type == "AWS::EC2::SecurityGroup":
            groups[r.logical_id] = {
                "logical_id": r.logical_id,
                "description": str(r.prop("GroupDescription", "")),
                "ingress": [
                    _rule(x, direction="in")
                    for x in r.prop_list("SecurityGroupIngress")
                    if isinstance(x, dict)
                ],
                "egress": [
                    _rule(x, direction="out")
                    for x in r.prop_list("SecurityGroupEgress")
                    if isinstance(x, dict)
                ],
            }
    for r in design.sorted_resources():
        if r.type in ("AWS::EC2::SecurityGroupIngress", "AWS::EC2::SecurityGroupEgress"):
            target = _ref(r.prop("GroupId"))
            if target in groups:
                direction = "in" if r.type.endswith("Ingress") else "out"
                key = "ingress" if direction == "in" else "egress"
                groups[target][key].append(_rule(r.properties, direction=direction))
    for g in groups.values():
        g["ingress"].sort(key=lambda x: (x["peer"], x["ports"]))
        g["egress"].sort(key=lambda x: (x["peer"], x["ports"]))
    return [groups[k] for k in sorted(groups)]


def iam_roles(design: Design) -> list[dict[str, Any]]:
    out = []
    for r in design.sorted_resources():
        if r.type != "AWS::IAM::Role":
            continue
        principals: set[str] = set()
        for stmt in r.prop_list("AssumeRolePolicyDocument.Statement"):
            svc = dict_or_empty(stmt.get("Principal")).get("Service") if isinstance(stmt, dict) else None
            for s in [svc] if isinstance(svc, str) else list_or_empty(svc):
                principals.add(str(s))
        managed = [_policy_name(p) for p in r.prop_list("ManagedPolicyArns")]
        policies = [p for p in r.prop_list("Policies") if isinstance(p, dict)]
        inline = [str(p.get("PolicyName", "")) for p in policies]
        actions: set[str] = set()
        for p in policies:
            for stmt in list_or_empty(dict_or_empty(p.get("PolicyDocument")).get("Statement")):
                act = stmt.get("Action") if isinstance(stmt, dict) else None
                for a in [act] if isinstance(act, str) else list_or_empty(act):
                    actions.add(str(a))
        out.append(
            {
                "logical_id": r.logical_id,
                "assumed_by": sorted(principals),
                "managed_policies": sorted(managed),
                "inline_policies": sorted(inline),
                "actions": sorted(actions),
            }
        )
    return out


def _policy_name(value: JsonValue) -> str:
    text = short_value(value)
    return text.rsplit("/", 1)[-1]


def encryption(design: Design) -> list[dict[str, Any]]:
    """Encryption settings found in each resource's properties (at rest and in transit)."""
    out = []
    for r in design.sorted_resources():
        found: list[str] = []
        _find_encryption(r.properties, "", found)
        if found:
            out.append({"logical_id": r.logical_id, "type": r.type, "settings": sorted(set(found))})
    return out


def _find_encryption(node: JsonValue, path: str, found: list[str]) -> None:
    # scalars under a key that is not an encryption setting hold nothing: no call, no path built
    if isinstance(node, dict):
        for k, v in node.items():
            container = isinstance(v, dict | list)
            enc = _ENC_KEY_SEEN.get(k)
            if enc is None:
                enc = _enc_key(k)
            if enc and (not container or _ref(v) is not None):
                found.append(f"{f'{path}.{k}' if path else str(k)}={short_value(v)}")
            elif container:
                _find_encryption(v, f"{path}.{k}" if path else str(k), found)
            if k == "Condition" and isinstance(v, dict) and "aws:SecureTransport" in str(v):
                found.append("TLS required (aws:SecureTransport)")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            if isinstance(v, dict | list):
                _find_encryption(v, f"{path}[{i}]", found)


# ------------------------------------------------------------------------------------------------
# checklist (six phases) and roadmap
# ------------------------------------------------------------------------------------------------
_FOUNDATION = {"network"}
_COMPLIANCE_TASKS = {
    "HIPAA": "Accept the AWS Business Associate Addendum (AWS Artifact) before any PHI reaches the account",
    "PCI-DSS": "Confirm every service is in PCI DSS scope (AWS Services in Scope); define the cardholder "
    "data environment",
    "SOC2": "Map SOC 2 controls to CloudTrail, Config and change management evidence",
    "GDPR": "Record where personal data lives (regions, data stores) and how it is erased",
    "ISO27001": "Add the design's assets and risks to the ISMS register",
}
_SECURITY = {"security", "identity"}
_MONITORING = {"management"}


def _ids(resources: Iterable[Resource]) -> list[str]:
    return sorted(r.logical_id for r in resources)


def _names(resources: Iterable[Resource], limit: int = 6) -> str:
    ids = _ids(resources)
    text = ", ".join(ids[:limit])
    return text + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


class _Graph:
    """The design's resources, sorted, with a lookup by type."""

    def __init__(self, design: Design, encrypted: list[dict[str, Any]] | None = None) -> None:
        self.design = design
        #: :func:`encryption` of the design when the caller already has it
        self.encrypted = encrypted
        self.resources = design.sorted_resources()
        self.by_type: dict[str, list[Resource]] = {}
        for r in self.resources:
            self.by_type.setdefault(r.type, []).append(r)

    def of(self, *types: str) -> list[Resource]:
        return [r for t in types for r in self.by_type.get(t, [])]


def checklist(
    design: Design,
    requirements: Any,
    *,
    pattern_name: str,
    review: Any = None,
    unpriced_lines: int = 0,
    encrypted: list[dict[str, Any]] | None = None,
) -> list[Phase]:
    """The six phases of tasks, each naming the resources it is about (``encrypted``: the design's
    :func:`encryption` when the caller already has it, as :func:`network_plan`'s ``encryption``)."""
    g = _Graph(design, encrypted)
    return [
        Phase(phase="Planning", tasks=_planning(g, requirements, pattern_name, unpriced_lines)),
        Phase(phase="Foundation", tasks=_foundation(g)),
        Phase(phase="Core Services", tasks=_core_services(g)),
        Phase(phase="Security", tasks=_security(g, review)),
        Phase(phase="Monitoring", tasks=_monitoring(g)),
        Phase(phase="CI/CD", tasks=_cicd(g, requirements)),
    ]


def _env_names(requirements: Any) -> list[str]:
    return [str(getattr(e, "value", e)) for e in requirements.environments]


def _planning(g: _Graph, requirements: Any, pattern_name: str, unpriced_lines: int) -> list[Task]:
    tasks = [
        Task(
            task=f"Review the {pattern_name} design: {len(g.resources)} resources of {len(g.by_type)} types"
        ),
        Task(
            task="Confirm the usage assumptions behind the estimate"
            + (f" ({unpriced_lines} line(s) depend on usage or have no price)" if unpriced_lines else "")
        ),
        Task(task="Agree the environment strategy: " + ", ".join(_env_names(requirements))),
        Task(task="Define the tagging strategy (application, environment, owner, cost centre)"),
    ]
    budget = getattr(requirements, "budget_monthly_usd", 0) or 0
    if budget:
        tasks.append(Task(task=f"Create an AWS Budgets alert at the {usd(budget, 0)}/month budget"))
    for regime in getattr(requirements, "compliance", ()) or ():
        name = str(getattr(regime, "value", regime))
        tasks.append(
            Task(task=_COMPLIANCE_TASKS.get(name, f"Confirm {name} obligations with your compliance owner"))
        )
    return tasks


def _foundation(g: _Graph) -> list[Task]:
    tasks: list[Task] = []
    vpcs, subnets = g.of("AWS::EC2::VPC"), g.of("AWS::EC2::Subnet")
    if vpcs:
        tiers = sorted({s.placement.tier for s in subnets}, key=lambda t: _TIER_ORDER.get(t, 9))
        azs = sorted({a for s in subnets for a in s.placement.azs})
        cidrs = ", ".join(short_value(v.prop("CidrBlock", "")) for v in vpcs)
        tasks.append(
            Task(
                task=f"Create the VPC ({cidrs}) with {len(subnets)} subnets ({'/'.join(tiers)}) across "
                f"{len(azs)} AZ(s): {', '.join(azs)}",
                resources=_ids(vpcs + subnets),
            )
        )
    nats = g.of("AWS::EC2::NatGateway")
    if nats:
        tasks.append(Task(task=f"Deploy {len(nats)} NAT gateway(s) with Elastic IPs", resources=_ids(nats)))
    eps = g.of("AWS::EC2::VPCEndpoint")
    if eps:
        names = sorted({_endpoint_service(e.prop("ServiceName")) for e in eps})
        tasks.append(
            Task(
                task=f"Create VPC endpoints for {', '.join(names)} to keep AWS traffic off NAT",
                resources=_ids(eps),
            )
        )
    roles = g.of("AWS::IAM::Role")
    if roles:
        tasks.append(
            Task(
                task=f"Create {len(roles)} least-privilege IAM role(s): {_names(roles)}",
                resources=_ids(roles),
            )
        )
    keys = g.of("AWS::KMS::Key")
    if keys:
        tasks.append(
            Task(
                task=f"Create customer managed KMS key(s) with rotation: {_names(keys)}", resources=_ids(keys)
            )
        )
    if not vpcs:
        tasks.append(Task(task="No VPC to build: every service in this design is regional and managed"))
    return tasks


#: Drawn types the foundation phase already covers.
_FOUNDATION_TYPES = ("AWS::EC2::NatGateway", "AWS::EC2::VPCEndpoint", "AWS::EC2::InternetGateway")


def _core_services(g: _Graph) -> list[Task]:
    tasks: list[Task] = []
    for r in g.resources:
        info = type_info(r.type)
        if not info.diagram or info.category in _FOUNDATION | _SECURITY | _MONITORING:
            continue
        if r.type in _FOUNDATION_TYPES:
            continue
        conf = config_summary(r.type, r.properties, limit=3)
        text = f"Deploy {r.label} ({info.label})" + (f": {', '.join(conf)}" if conf else "")
        tasks.append(Task(task=text, resources=[r.logical_id]))
    for r in g.of("AWS::ElasticLoadBalancingV2::LoadBalancer"):
        tasks.append(
            Task(
                task=f"Deploy {r.label} (load balancer) with an HTTPS listener and health checks",
                resources=[r.logical_id],
            )
        )
    tasks.sort(key=lambda t: (t.resources, t.task))
    return tasks


#: Security tasks for types the design has: (type, task).
_SECURITY_IF_PRESENT = (
    ("AWS::WAFv2::WebACL", "Tune the WAF web ACL rules and rate limits"),
    ("AWS::SecretsManager::Secret", "Store credentials in Secrets Manager and enable rotation"),
    ("AWS::Cognito::UserPool", "Configure the user pool's password policy and MFA"),
    ("AWS::CloudTrail::Trail", "Confirm CloudTrail delivers to a protected bucket"),
    ("AWS::GuardDuty::Detector", "Route GuardDuty findings to the on-call channel"),
)
#: Security tasks for types the design lacks: (type, task).
_SECURITY_IF_ABSENT = (
    ("AWS::CloudTrail::Trail", "Enable CloudTrail in every account (organization trail) for audit logging"),
    ("AWS::GuardDuty::Detector", "Enable GuardDuty for threat detection"),
)


def _security(g: _Graph, review: Any) -> list[Task]:
    tasks: list[Task] = []
    sgs = g.of("AWS::EC2::SecurityGroup")
    if sgs:
        tasks.append(
            Task(
                task=f"Apply the tier-to-tier security group rules ({len(sgs)} groups, see the network plan)",
                resources=_ids(sgs),
            )
        )
    enc = g.encrypted if g.encrypted is not None else encryption(g.design)
    if enc:
        tasks.append(
            Task(
                task=f"Verify encryption settings on {len(enc)} resource(s) (at rest and in transit)",
                resources=sorted(e["logical_id"] for e in enc),
            )
        )
    tasks += [Task(task=text, resources=_ids(g.of(t))) for t, text in _SECURITY_IF_PRESENT if g.of(t)]
    tasks += [Task(task=text) for t, text in _SECURITY_IF_ABSENT if not g.of(t)]
    return tasks + _review_tasks(review)


def _review_tasks(review: Any) -> list[Task]:
    """One task per critical or high review finding that is not expected."""
    if review is None:
        return []
    serious = [
        f
        for f in getattr(review, "findings", [])
        if getattr(f, "severity", "") in ("critical", "high") and not getattr(f, "expected_reason", "")
    ]
    return [
        Task(
            task=f"Fix review finding {f.check_id} ({f.severity}): {f.title}",
            resources=[str(f.resource)] if getattr(f, "resource", None) else [],
        )
        for f in sorted(serious, key=lambda f: (str(f.severity), str(f.check_id), str(f.resource)))
    ]


#: Types on the request path worth tracing.
_TRACED_TYPES = (
    "AWS::Lambda::Function",
    "AWS::ECS::Service",
    "AWS::StepFunctions::StateMachine",
    "AWS::ApiGateway::RestApi",
)


def _monitoring(g: _Graph) -> list[Task]:
    tasks: list[Task] = []
    alarms = g.of("AWS::CloudWatch::Alarm")
    if alarms:
        metrics = sorted({str(a.prop("MetricName", "")) for a in alarms if a.prop("MetricName")})
        tasks.append(
            Task(
                task=f"Confirm {len(alarms)} CloudWatch alarm(s) and their thresholds"
                + (f" (metrics: {', '.join(metrics[:8])})" if metrics else ""),
                resources=_ids(alarms),
            )
        )
    else:
        tasks.append(Task(task="Create alarms on errors, latency and saturation of each service"))
    topics = [
        t
        for t in g.of("AWS::SNS::Topic")
        if "alarm" in (t.logical_id + str(t.metadata.get("role", ""))).lower()
    ]
    if topics:
        tasks.append(Task(task="Subscribe the on-call rota to the alarm topic", resources=_ids(topics)))
    dashboards = g.of("AWS::CloudWatch::Dashboard")
    if dashboards:
        tasks.append(Task(task="Review the operations dashboard with the team", resources=_ids(dashboards)))
    logs = g.of("AWS::Logs::LogGroup")
    if logs:
        tasks.append(
            Task(
                task=f"Set log retention and metric filters on {len(logs)} log group(s)", resources=_ids(logs)
            )
        )
    if g.of(*_TRACED_TYPES):
        tasks.append(Task(task="Enable X-Ray tracing on the request path"))
    return tasks


#: Delivery tasks: (type the task is about, type the design must also have or "", task).
_CICD_IF_PRESENT = (
    (
        "AWS::ECS::Service",
        "",
        "Build and scan images, push to ECR, roll out ECS services (blue/green in prod)",
    ),
    ("AWS::EKS::Cluster", "", "Set up GitOps (Helm/Argo CD or Flux) for workloads on the EKS cluster"),
    ("AWS::AutoScaling::AutoScalingGroup", "", "Bake AMIs and roll them out with instance refresh"),
    (
        "AWS::CloudFront::Distribution",
        "AWS::S3::Bucket",
        "Publish static assets to S3 and invalidate CloudFront on release",
    ),
)


def _cicd(g: _Graph, requirements: Any) -> list[Task]:
    tasks = [Task(task="Keep the template in Git; validate it on every change (cloudwright validate)")]
    lambdas = g.of("AWS::Lambda::Function")
    if lambdas:
        tasks.append(
            Task(
                task=f"Package and deploy {len(lambdas)} Lambda function(s) with aliases for safe rollback",
                resources=_ids(lambdas),
            )
        )
    tasks += [
        Task(task=text, resources=_ids(g.of(t)))
        for t, also, text in _CICD_IF_PRESENT
        if g.of(t) and (not also or g.of(also))
    ]
    envs = _env_names(requirements)
    if len(envs) > 1:
        tasks.append(
            Task(task=f"Promote releases {' → '.join(envs)} with a prod approval gate and auto rollback")
        )
    return tasks


#: The roadmap's phases and week ranges (Well-Architected foundation roadmap).
_ROADMAP = [
    (
        "Foundation",
        "Weeks 1-2",
        "Accounts, network, identity and encryption in place",
        ("Planning", "Foundation"),
    ),
    ("Core Services", "Weeks 3-4", "Data stores, compute and the request path deployed", ("Core Services",)),
    ("Applications", "Weeks 5-6", "First workloads live with logging and tracing", ("CI/CD",)),
    (
        "Advanced Features",
        "Weeks 7-8",
        "Scaling, alarms, backups and security hardening",
        ("Monitoring", "Security"),
    ),
    ("Optimization", "Weeks 9-12", "Tune cost and performance, rehearse recovery", ()),
]


def roadmap(phases: list[Phase], design: Design, estimate_usd: Any = None) -> list[RoadmapPhase]:
    by_name = {p.phase: p for p in phases}
    out: list[RoadmapPhase] = []
    for name, weeks, goal, sources in _ROADMAP:
        items = [t for src in sources for t in by_name.get(src, Phase(phase=src)).tasks]
        if name == "Optimization":
            items = _optimization_items(design)
        out.append(RoadmapPhase(phase=name, weeks=weeks, goal=goal, items=items))
    return out


def _optimization_items(design: Design) -> list[Task]:
    items: list[Task] = []
    steady = [
        r
        for r in design.sorted_resources()
        if r.type
        in (
            "AWS::RDS::DBCluster",
            "AWS::RDS::DBInstance",
            "AWS::ElastiCache::ReplicationGroup",
            "AWS::ECS::Service",
            "AWS::AutoScaling::AutoScalingGroup",
            "AWS::EKS::Nodegroup",
        )
    ]
    if steady:
        items.append(
            Task(
                task="Buy Savings Plans / reserved nodes for the steady baseline once usage is known",
                resources=_ids(steady),
            )
        )
    if design.by_type("AWS::Lambda::Function"):
        items.append(
            Task(
                task="Right-size Lambda memory from measured duration",
                resources=_ids(design.by_type("AWS::Lambda::Function")),
            )
        )
    if design.by_type("AWS::S3::Bucket"):
        items.append(
            Task(
                task="Add S3 lifecycle rules (Intelligent-Tiering / Glacier) for ageing data",
                resources=_ids(design.by_type("AWS::S3::Bucket")),
            )
        )
    items.append(Task(task="Load-test at the peak rate and compare with the sizing assumptions"))
    items.append(Task(task="Run a disaster-recovery drill against the RTO/RPO targets"))
    items.append(Task(task="Re-run cloudwright with measured usage and compare the estimate"))
    return items

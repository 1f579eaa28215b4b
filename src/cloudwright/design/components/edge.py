"""Edge components: ``waf`` and ``dns`` (Route 53); ``cdn-alb`` lives with the load balancer.

The site's domain is a template parameter ``DomainName`` (default ``<name>.example.com``) shared by the
certificate, the hosted zone and the records.
"""

from __future__ import annotations

from operator import attrgetter
from typing import Any, Literal

from cloudwright.cfn.intrinsics import ref_name
from cloudwright.design import sizing
from cloudwright.design.build import (
    BuildContext,
    BuilderOptions,
    NoOptions,
    component,
    json_array,
    json_object,
)
from cloudwright.design.components.observability import kms_key_arn, tags
from cloudwright.units import JsonValue

#: AWS managed cache/origin-request policies (ids are fixed by AWS).
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
ALL_VIEWER = "216adef6-5c7f-47e4-b989-5492eafa07d3"
CLOUDFRONT_ZONE = "Z2FDTNDATAQYW2"
SRC_MANAGED_POLICIES = (
    "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-managed-cache-policies.html"
)
SRC_WAF_RULES = "https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-list.html"
SRC_R53 = "seed 002 capacity example: ~1 DNS query per user per day"


def domain_name(ctx: BuildContext) -> dict[str, Any]:
    """``{"Ref": "DomainName"}``, adding the template parameter on first use."""
    ctx.design.parameters.setdefault(
        "DomainName",
        {
            "Type": "String",
            "Default": f"{ctx.requirements.name}.example.com",
            "Description": "DNS name of the application (hosted zone and certificate)",
        },
    )
    return {"Ref": "DomainName"}


def _monthly_requests(ctx: BuildContext) -> int:
    return round(ctx.requirements.requests_per_month * ctx.load_factor)


def _distributions(ctx: BuildContext) -> list[str]:
    return sorted(r.logical_id for r in ctx.design.resources if r.type == "AWS::CloudFront::Distribution")


def _regional_targets(ctx: BuildContext) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for r in sorted(ctx.design.resources, key=attrgetter("logical_id")):
        if (
            r.type == "AWS::ElasticLoadBalancingV2::LoadBalancer"
            and r.properties.get("Type", "application") == "application"
        ):
            out.append((r.logical_id, {"Ref": r.logical_id}))
        elif r.type == "AWS::ApiGateway::Stage":
            api = ref_name(r.properties.get("RestApiId"))
            stage = r.properties.get("StageName")
            if api and isinstance(stage, str):
                out.append(
                    (
                        r.logical_id,
                        {
                            "Fn::Sub": f"arn:${{AWS::Partition}}:apigateway:${{AWS::Region}}::/restapis/${{{api}}}/stages/{stage}"  # noqa: E501
                        },
                    )
                )
        elif r.type == "AWS::AppSync::GraphQLApi":
            out.append((r.logical_id, {"Fn::GetAtt": [r.logical_id, "Arn"]}))
    return out


#: The AWS managed rule groups every web ACL gets (the SQL injection set is added when a relational
#: database is behind it).
MANAGED_RULE_GROUPS = (
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
    "AWSManagedRulesAmazonIpReputationList",
)
SQLI_RULE_GROUP = "AWSManagedRulesSQLiRuleSet"


def _visibility(metric: str) -> dict[str, Any]:
    return {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": metric}


def _rules(ctx: BuildContext, with_sqli: bool) -> list[dict[str, Any]]:
    groups = [*MANAGED_RULE_GROUPS, *([SQLI_RULE_GROUP] if with_sqli else [])]
    rules: list[dict[str, Any]] = [
        {
            "Name": g,
            "Priority": i + 1,
            "OverrideAction": {"None": {}},
            "Statement": {"ManagedRuleGroupStatement": {"VendorName": "AWS", "Name": g}},
            "VisibilityConfig": _visibility(g),
        }
        for i, g in enumerate(groups)
    ]
    per_ip = max(1000, int(ctx.requirements.peak_rps * 300 / max(1, ctx.requirements.expected_users) * 20))
    rules.append(
        {
            "Name": "RateLimitPerIp",
            "Priority": 0,
            "Action": {"Block": {}},
            "Statement": {"RateBasedStatement": {"Limit": per_ip, "AggregateKeyType": "IP"}},
            "VisibilityConfig": _visibility("RateLimitPerIp"),
        }
    )
    return rules


@component("waf", options=NoOptions, uses=["kms_key"], scans=True, stage="edge")
def waf(ctx: BuildContext, options: NoOptions) -> None:
    regional, dists = _protected(ctx)
    with_sqli = any(r.type.startswith("AWS::RDS::") for r in ctx.design.resources)
    requests = _monthly_requests(ctx)
    made: list[JsonValue] = []
    for scope, lid in _scopes(ctx, regional, dists):
        _web_acl(ctx, scope, lid, with_sqli, requests)
        made.append(lid)
        _waf_logging(ctx, lid, f"aws-waf-logs-{ctx.name_prefix}-{scope.lower()}", requests)
        if scope == "REGIONAL":
            for target, arn in regional:
                ctx.add(
                    f"{target}WebAclAssociation",
                    "AWS::WAFv2::WebACLAssociation",
                    {"ResourceArn": arn, "WebACLArn": {"Fn::GetAtt": [lid, "Arn"]}},
                    depends_on=[target] if target.endswith("Stage") else None,
                    label=f"WAF → {target}",
                    role="edge security",
                    component_id="waf",
                )
                ctx.connect(lid, target, "request", "filters")
        else:
            for d in dists:
                cfg = ctx.design[d].properties["DistributionConfig"]
                if not isinstance(cfg, dict):
                    raise TypeError(f"{d}: DistributionConfig is not an object")
                cfg["WebACLId"] = {"Fn::GetAtt": [lid, "Arn"]}
                ctx.connect(lid, d, "request", "filters")
    ctx.network_section("edge")["waf"] = made


def _protected(ctx: BuildContext) -> tuple[list[tuple[str, Any]], list[str]]:
    """The regional targets (load balancers, API stages, GraphQL APIs: logical id and ARN) and the
    CloudFront distributions the WAF protects."""
    regional = _regional_targets(ctx)
    # Only distributions with a dynamic origin (cdn-alb) get an edge ACL; static-site distributions serve
    # public files and their APIs are filtered regionally.
    dists = [d for d in _distributions(ctx) if d == "AppDistribution" or not regional]
    if "AppDistribution" in dists and ctx.region == "us-east-1":
        # the ALB sits behind CloudFront: filter once, at the edge
        regional = [(t, arn) for t, arn in regional if t != "LoadBalancer"]
        ctx.warn(
            "waf: the load balancer is filtered at CloudFront; restrict its security group to the CloudFront "
            "origin-facing managed prefix list so the WAF cannot be bypassed"
        )
    return regional, dists


def _scopes(ctx: BuildContext, regional: list[tuple[str, Any]], dists: list[str]) -> list[tuple[str, str]]:
    """The web ACLs to make (scope, logical id). CloudFront ACLs exist only in us-east-1: elsewhere the
    distributions are left to the origin's regional ACL (and checkov is told why)."""
    scopes = []
    if regional:
        scopes.append(("REGIONAL", "WebAcl"))
    if dists:
        if ctx.region == "us-east-1":
            scopes.append(("CLOUDFRONT", "EdgeWebAcl"))
        else:
            ctx.warn(
                f"waf: CloudFront web ACLs must be created in us-east-1; deploy one there for {', '.join(dists)}"  # noqa: E501
            )
            if regional:  # the origin's regional web ACL filters the requests (checkov cannot see it)
                reason = (
                    "CloudFront web ACLs live in us-east-1 only; outside it the regional WAF on the "
                    "origin (load balancer / API) filters every request."
                )
                for d in dists:
                    meta = json_object(ctx.design[d].attributes, "Metadata")
                    skips = json_array(json_object(meta, "checkov"), "skip")
                    skips.append({"id": "CKV_AWS_68", "comment": reason})
    return scopes


def _web_acl(ctx: BuildContext, scope: str, lid: str, with_sqli: bool, requests: int) -> None:
    rules = _rules(ctx, with_sqli)
    ctx.add(
        lid,
        "AWS::WAFv2::WebACL",
        {
            "Name": f"{ctx.name_prefix}-{scope.lower()}",
            "Scope": scope,
            "DefaultAction": {"Allow": {}},
            "Rules": rules,
            "VisibilityConfig": _visibility(f"{ctx.name_prefix}-{scope.lower()}"),
            "Tags": tags(ctx, f"{ctx.name_prefix}-waf"),
        },
        usage={"monthly_requests": requests},
        label=f"WAF web ACL ({scope.lower()})",
        role="edge security",
        rationale="AWS managed rule groups (common, known bad inputs, IP reputation"
        + (", SQL injection" if with_sqli else "")
        + ") and a per-IP rate limit",
        sizing=[
            {
                "rule": f"{len(rules)} rules; rate limit per IP per 5 minutes",
                "value": rules[-1]["Statement"]["RateBasedStatement"]["Limit"],
                "source": SRC_WAF_RULES,
            }
        ],
        tier="edge" if scope == "CLOUDFRONT" else "regional",
        region="global" if scope == "CLOUDFRONT" else None,
        component_id="waf",
    )


#: Share of requests a WAF blocks or counts (only those are logged; assumption).
WAF_LOGGED_SHARE = 0.02


def _waf_logging(ctx: BuildContext, acl: str, log_name: str, requests: int) -> None:
    """Log only blocked and counted requests (full request logs cost more than the WAF itself)."""
    gb = round(requests * WAF_LOGGED_SHARE * 1.5 / sizing.GB, 3)
    key = kms_key_arn(ctx)
    days = {"prod": 365, "staging": 30}.get(ctx.environment, 7)
    ctx.add(
        f"{acl}LogGroup",
        "AWS::Logs::LogGroup",
        {"LogGroupName": log_name, "RetentionInDays": days, **({"KmsKeyId": key} if key else {})},
        usage={"monthly_data_ingested_gb": gb, "storage_gb": round(gb * min(days / 30, 12), 3)},
        label="WAF logs (blocked and counted requests)",
        role="logs",
        sizing=[
            {
                "rule": f"{WAF_LOGGED_SHARE:.0%} of requests logged × 1.5 KB ({sizing.ASSUMPTION})",
                "value": gb,
                "source": "https://docs.aws.amazon.com/waf/latest/developerguide/logging-filtering.html",
            }
        ],
        component_id="waf",
    )
    arn = f"arn:${{AWS::Partition}}:logs:${{AWS::Region}}:${{AWS::AccountId}}:log-group:{log_name}"
    ctx.add(
        f"{acl}Logging",
        "AWS::WAFv2::LoggingConfiguration",
        {
            "ResourceArn": {"Fn::GetAtt": [acl, "Arn"]},
            "LogDestinationConfigs": [{"Fn::Sub": arn}],
            "LoggingFilter": {
                "DefaultBehavior": "DROP",
                "Filters": [
                    {
                        "Behavior": "KEEP",
                        "Requirement": "MEETS_ANY",
                        "Conditions": [
                            {"ActionCondition": {"Action": "BLOCK"}},
                            {"ActionCondition": {"Action": "COUNT"}},
                        ],
                    }
                ],
            },
        },
        depends_on=[f"{acl}LogGroup"],
        label="WAF logging",
        role="logs",
        component_id="waf",
    )


class DnsOptions(BuilderOptions):
    """Options of ``dns``."""

    routing: Literal["simple", "latency", "failover"] = "simple"
    """Route 53 routing: ``simple`` (alias records), ``latency`` (one record per Region with health
    checks) or ``failover`` (a health-checked primary and a secondary)."""


@component(
    "dns", options=DnsOptions, uses=["apis", "global_table", "load_balancer"], scans=True, stage="edge"
)
def dns(ctx: BuildContext, options: DnsOptions) -> None:
    domain = domain_name(ctx)
    routing = options.routing
    _hosted_zone(ctx, domain, routing)
    dists = _distributions(ctx)
    lb = ctx.design.get("LoadBalancer")
    records: list[str] = []
    if lb is not None and routing == "failover":
        _failover_record(ctx, domain, records)
    elif dists:
        target = "AppDistribution" if "AppDistribution" in dists else dists[0]
        _alias(ctx, records, "SiteRecord", domain, CLOUDFRONT_ZONE, {"Fn::GetAtt": [target, "DomainName"]})
        ctx.connect("HostedZone", target, "request", "alias")
    elif lb is not None:
        _alias(ctx, records, "SiteRecord", domain, *_lb_alias())
    if lb is not None and routing != "failover":
        _alias(ctx, records, "OriginRecord", {"Fn::Sub": "origin.${DomainName}"}, *_lb_alias())
        ctx.connect("HostedZone", "LoadBalancer", "request", "alias")
    if routing == "latency":
        _latency_records(ctx)
    ctx.network_section("dns").update({"zone": "HostedZone", "routing": routing, "records": list(records)})


def _hosted_zone(ctx: BuildContext, domain: Any, routing: str) -> None:
    users = ctx.requirements.expected_users * ctx.load_factor
    queries = round(users * 30)
    usage = {
        "monthly_standard_queries": 0 if routing == "latency" else queries,
        "monthly_latency_based_queries": queries if routing == "latency" else 0,
        "monthly_geo_queries": 0,
    }
    ctx.add(
        "HostedZone",
        "AWS::Route53::HostedZone",
        {"Name": domain, "HostedZoneConfig": {"Comment": f"{ctx.name_prefix} ({routing} routing)"}},
        usage=usage,
        label=f"Route 53 zone ({routing} routing)",
        role="dns",
        rationale="alias records to AWS endpoints (no charge for alias queries to CloudFront/ELB)",
        sizing=[{"rule": "queries ≈ users × 30 per month", "value": queries, "source": SRC_R53}],
        tier="global",
        region="global",
        component_id="dns",
    )


def _lb_alias() -> tuple[dict[str, Any], dict[str, Any]]:
    """The load balancer's alias target: its hosted zone and DNS name."""
    return (
        {"Fn::GetAtt": ["LoadBalancer", "CanonicalHostedZoneID"]},
        {"Fn::GetAtt": ["LoadBalancer", "DNSName"]},
    )


def _https_health_check(host: Any) -> dict[str, Any]:
    """``HealthCheckConfig`` of an HTTPS check of ``/health`` (seed 002: 30 s interval, 3 failures)."""
    return {
        "Type": "HTTPS",
        "FullyQualifiedDomainName": host,
        "ResourcePath": "/health",
        "Port": 443,
        "RequestInterval": 30,
        "FailureThreshold": 3,
    }


def _alias(
    ctx: BuildContext,
    records: list[str],
    lid: str,
    name: Any,
    zone: Any,
    target: Any,
    extra: dict[str, Any] | None = None,
) -> None:
    """An A alias record in the hosted zone (listed in ``records``)."""
    props = {
        "HostedZoneId": {"Ref": "HostedZone"},
        "Name": name,
        "Type": "A",
        "AliasTarget": {"HostedZoneId": zone, "DNSName": target, "EvaluateTargetHealth": True},
    }
    props.update(extra or {})
    ctx.add(
        lid,
        "AWS::Route53::RecordSet",
        props,
        label=f"record {lid}",
        role="dns",
        tier="global",
        region="global",
        component_id="dns",
    )
    records.append(lid)


def _failover_record(ctx: BuildContext, domain: Any, records: list[str]) -> None:
    """The health-checked PRIMARY record on the load balancer (the standby Region adds the SECONDARY)."""
    ctx.add(
        "AppHealthCheck",
        "AWS::Route53::HealthCheck",
        {
            "HealthCheckConfig": _https_health_check({"Fn::GetAtt": ["LoadBalancer", "DNSName"]}),
            "HealthCheckTags": tags(ctx, f"{ctx.name_prefix}-health"),
        },
        label="health check /health",
        role="dns",
        rationale="seed 002: HTTPS health check, 30 s interval, 3 failures",
        tier="global",
        region="global",
        component_id="dns",
    )
    _alias(
        ctx,
        records,
        "PrimaryRecord",
        domain,
        *_lb_alias(),
        {"SetIdentifier": "primary", "Failover": "PRIMARY", "HealthCheckId": {"Ref": "AppHealthCheck"}},
    )
    ctx.network_section("dns")["failover"] = (
        "PRIMARY record health-checked; add the SECONDARY record for the standby Region"
    )


def _latency_records(ctx: BuildContext) -> None:
    """One health-checked latency record per active Region.

    The primary Region's record points at this stack's API. Every other Region of the global table
    (``ctx.provided.global_table.regions``) gets a template parameter for its API host name and a
    record that exists once that parameter is filled in (after the Region's own stack is deployed).
    """
    api = ctx.provided.apis.http or ctx.provided.apis.rest
    table = ctx.provided.global_table
    regions = sorted(set(table.regions if table else []) | {ctx.region})
    for region in regions:
        suffix = "".join(p.title() for p in region.split("-"))
        condition = None
        if region == ctx.region:
            if not api:
                continue
            target: Any = {"Fn::Sub": f"${{{api}}}.execute-api.${{AWS::Region}}.amazonaws.com"}
        else:
            param, condition = f"ApiHost{suffix}", f"HasApiHost{suffix}"
            ctx.design.parameters[param] = {
                "Type": "String",
                "Default": "",
                "Description": f"API host name of the {region} stack (leave empty until it is deployed)",
            }
            ctx.design.conditions[condition] = {"Fn::Not": [{"Fn::Equals": [{"Ref": param}, ""]}]}
            target = {"Ref": param}
        ctx.add(
            f"ApiHealthCheck{suffix}",
            "AWS::Route53::HealthCheck",
            {"HealthCheckConfig": _https_health_check(target)},
            label=f"API health check {region}",
            role="dns",
            tier="global",
            region="global",
            condition=condition,
            component_id="dns",
        )
        ctx.add(
            f"ApiLatencyRecord{suffix}",
            "AWS::Route53::RecordSet",
            {
                "HostedZoneId": {"Ref": "HostedZone"},
                "Name": {"Fn::Sub": "api.${DomainName}"},
                "Type": "CNAME",
                "TTL": "60",
                "ResourceRecords": [target],
                "SetIdentifier": region,
                "Region": region,
                "HealthCheckId": {"Ref": f"ApiHealthCheck{suffix}"},
            },
            label=f"latency record {region}",
            role="dns",
            tier="global",
            region="global",
            condition=condition,
            component_id="dns",
        )
        ctx.connect("HostedZone", f"ApiLatencyRecord{suffix}", "request", f"latency → {region}")

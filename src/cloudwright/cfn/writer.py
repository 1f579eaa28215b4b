"""Design graph → CloudFormation YAML.

The template is rendered from exactly the graph that was priced and reviewed: every resource's
``properties`` go into ``Properties`` unchanged, so a property changed in the design changes both the
template and the estimate. The renderer adds only what a template needs around the graph:

* ``Parameters`` ``Environment``, ``ProjectName`` and ``CostCentre`` (defaults from the design) and the
  tags ``project``, ``environment`` and ``cost-centre`` on every resource type whose CloudFormation
  schema (the one bundled with cfn-lint) has a ``Tags`` property — as a list of ``Key``/``Value`` pairs or
  as a map, whichever the schema says;
* ``Outputs`` for the entry points and data stores a user looks up after a deploy (names, URLs, ARNs);
* the checkov suppressions of :data:`SUPPRESSIONS` (check id + resource type + written reason) in the
  resource's ``Metadata``;
* a ``Metadata.cloudwright`` block per resource (label, tier, usage …) and one for the template (name,
  environment, region, assumptions, edges) so that importing the template gives back the same graph.

Output is deterministic: resources, outputs and tags are sorted; no timestamps. Intrinsic functions are
written in their long form (``Ref``, ``Fn::GetAtt`` …); :mod:`cloudwright.cfn.reader` reads both forms.

Resources whose ``placement.region`` differs from the design's region go into one extra template per
region (:func:`render_templates`); references across templates become parameters of the template that
needs them.
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from cloudwright.cfn import intrinsics
from cloudwright.design.model import Design, Edge, Resource, dict_or_empty, list_or_empty
from cloudwright.errors import TemplateError
from cloudwright.units import ENVIRONMENTS

FORMAT_VERSION = "2010-09-09"
PRIMARY_FILENAME = "template.yaml"

#: Tag key → template parameter that holds its value.
TAG_PARAMETERS: dict[str, str] = {
    "cost-centre": "CostCentre",
    "environment": "Environment",
    "project": "ProjectName",
}

_RESOURCE_KEY_ORDER = (
    "Type",
    "Description",
    "Version",
    "Condition",
    "DependsOn",
    "DeletionPolicy",
    "UpdateReplacePolicy",
    "UpdatePolicy",
    "CreationPolicy",
    "Metadata",
    "Properties",
)


@dataclass(frozen=True)
class Suppression:
    """A checkov check that does not apply to a resource in cloudwright's designs, and why.

    The renderer writes it into the resource's ``Metadata.checkov.skip`` only when it applies: not when
    the resource already sets ``unless`` (a dotted property path, truthy), and only in ``environments``
    (empty = every environment).
    """

    check_id: str
    resource_type: str
    reason: str
    unless: str | None = None
    environments: tuple[str, ...] = ()

    def applies(self, resource: Resource, environment: str) -> bool:
        if resource.type != self.resource_type:
            return False
        if self.environments and environment not in self.environments:
            return False
        return not (self.unless and resource.prop(self.unless))


#: checkov checks the renderer suppresses, each with the reason written into the template.
#: Keep this short; docs/cloudformation.md lists every entry.
SUPPRESSIONS: tuple[Suppression, ...] = (
    Suppression(
        "CKV_AWS_116",
        "AWS::Lambda::Function",
        "Failures are retried by the event source and end in the queue's or stream's own dead-letter "
        "queue; synchronous API handlers return errors to the caller.",
        unless="DeadLetterConfig",
    ),
    Suppression(
        "CKV_AWS_117",
        "AWS::Lambda::Function",
        "The function reaches no VPC resource, so it runs outside the VPC: no NAT cost, no ENI cold start. "
        "Functions that need the VPC get VpcConfig from their builder.",
        unless="VpcConfig",
    ),
    Suppression(
        "CKV_AWS_173",
        "AWS::Lambda::Function",
        "Environment variables hold resource names only, never secrets; Lambda encrypts them at rest "
        "with an AWS managed key.",
        unless="KmsKeyArn",
    ),
    Suppression(
        "CKV_AWS_115",
        "AWS::Lambda::Function",
        "Concurrency is bounded by the event source (batch size, shards, API throttling) and the account "
        "limit; a reserved limit is a per-workload tuning decision.",
        unless="ReservedConcurrentExecutions",
    ),
    Suppression(
        "CKV_AWS_18",
        "AWS::S3::Bucket",
        "Access-log buckets and buckets read only through CloudFront or AWS services are not logged to "
        "another bucket (that would recurse or duplicate CloudFront/CloudTrail logs).",
        unless="LoggingConfiguration",
    ),
    Suppression(
        "CKV_AWS_21",
        "AWS::S3::Bucket",
        "Log and data-lake buckets hold append-only, re-creatable objects expired by lifecycle rules; "
        "versioning is enabled where objects are not re-creatable.",
        unless="VersioningConfiguration",
    ),
    Suppression(
        "CKV_AWS_158",
        "AWS::Logs::LogGroup",
        "CloudWatch Logs encrypts every log group at rest; a customer managed KMS key is added when "
        "compliance or production asks for one (kms component).",
        unless="KmsKeyId",
    ),
    Suppression(
        "CKV_AWS_157",
        "AWS::RDS::DBInstance",
        "Dev and staging run single-AZ by design (environment shapes: dev cheap, staging at reduced "
        "scale); production is Multi-AZ.",
        unless="MultiAZ",
        environments=("dev", "staging"),
    ),
    Suppression(
        "CKV_AWS_68",
        "AWS::CloudFront::Distribution",
        "The WAF web ACL is attached in production; dev and staging distributions serve test traffic "
        "and skip the WAF's fixed monthly cost.",
        unless="DistributionConfig.WebACLId",
        environments=("dev", "staging"),
    ),
)


# --------------------------------------------------------------------------------------------------
# Tagging, from cfn-lint's bundled resource schemas
# --------------------------------------------------------------------------------------------------
def tag_style(resource_type: str, region: str = "us-east-1") -> str | None:
    """How a resource type takes tags: ``"list"``, ``"list-propagate"`` (Auto Scaling), ``"map"`` or None.

    Read from ``data/tag_styles.json``, generated from the CloudFormation resource schemas bundled with
    cfn-lint (:mod:`cloudwright.tagstyles`), so rendering never imports cfn-lint.
    """
    from cloudwright.tagstyles import tag_style as style_of

    return style_of(resource_type)


def _with_tags(resource_type: str, properties: dict[str, Any]) -> dict[str, Any]:
    style = tag_style(resource_type)
    if style is None:
        return properties
    wanted = {key: {"Ref": param} for key, param in TAG_PARAMETERS.items()}
    existing = properties.get("Tags")
    if style == "map":
        if existing is not None and not isinstance(existing, dict):
            return properties
        tags = dict(existing or {})
        for key, value in wanted.items():
            tags.setdefault(key, value)
        properties["Tags"] = {k: tags[k] for k in sorted(tags)}
        return properties
    if existing is not None and not isinstance(existing, list):
        return properties
    items = [dict(t) for t in (existing or [])]
    present = {t.get("Key") for t in items if isinstance(t, dict)}
    for key, value in wanted.items():
        if key not in present:
            item: dict[str, Any] = {"Key": key, "Value": value}
            if style == "list-propagate":
                item["PropagateAtLaunch"] = True
            items.append(item)
    if all(isinstance(t, dict) and isinstance(t.get("Key"), str) for t in items):
        items.sort(key=lambda t: str(t["Key"]))
    properties["Tags"] = items
    return properties


# --------------------------------------------------------------------------------------------------
# Outputs
# --------------------------------------------------------------------------------------------------
#: Resource type → (output name suffix, value, description) for the values a user looks up after deploy.
_OUTPUTS: dict[str, tuple[str, str, str]] = {
    "AWS::S3::Bucket": ("Name", "Ref", "bucket name"),
    "AWS::DynamoDB::Table": ("Name", "Ref", "table name"),
    "AWS::DynamoDB::GlobalTable": ("Name", "Ref", "global table name"),
    "AWS::SQS::Queue": ("Url", "Ref", "queue URL"),
    "AWS::SNS::Topic": ("Arn", "Ref", "topic ARN"),
    "AWS::Kinesis::Stream": ("Name", "Ref", "stream name"),
    "AWS::Events::EventBus": ("Name", "Ref", "event bus name"),
    "AWS::StepFunctions::StateMachine": ("Arn", "Ref", "state machine ARN"),
    "AWS::ElasticLoadBalancingV2::LoadBalancer": ("DnsName", "DNSName", "load balancer DNS name"),
    "AWS::CloudFront::Distribution": ("DomainName", "DomainName", "CloudFront domain name"),
    "AWS::ApiGateway::RestApi": ("Id", "Ref", "REST API id"),
    "AWS::ApiGatewayV2::Api": ("Endpoint", "ApiEndpoint", "HTTP API endpoint"),
    "AWS::Cognito::UserPool": ("Id", "Ref", "user pool id"),
    "AWS::AppSync::GraphQLApi": ("Url", "GraphQLUrl", "GraphQL endpoint"),
    "AWS::RDS::DBCluster": ("Endpoint", "Endpoint.Address", "database writer endpoint"),
    "AWS::RDS::DBInstance": ("Endpoint", "Endpoint.Address", "database endpoint"),
    "AWS::EC2::VPC": ("Id", "Ref", "VPC id"),
    "AWS::ECS::Cluster": ("Name", "Ref", "ECS cluster name"),
    "AWS::EKS::Cluster": ("Name", "Ref", "EKS cluster name"),
}


def _auto_outputs(resources: Iterable[Resource]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for r in resources:
        spec = _OUTPUTS.get(r.type)
        if spec is None:
            continue
        suffix, attr, desc = spec
        value: Any = {"Ref": r.logical_id} if attr == "Ref" else {"Fn::GetAtt": [r.logical_id, attr]}
        entry: dict[str, Any] = {"Description": f"{r.label} {desc}", "Value": value}
        if r.condition:
            entry["Condition"] = r.condition
        out[f"{r.logical_id}{suffix}"] = entry
    return out


# --------------------------------------------------------------------------------------------------
# Reference helpers
# --------------------------------------------------------------------------------------------------
def references(node: Any) -> set[str]:
    """Names a template fragment refers to through Ref, Fn::GetAtt and Fn::Sub (resources or parameters),
    and the condition names of ``{"Condition": name}``."""
    return intrinsics.references(node, conditions=True)


def _rewrite_foreign(node: Any, foreign: set[str], params: dict[str, str]) -> Any:
    """Replace Ref/GetAtt/Sub references to resources of another template with parameters."""
    fn = intrinsics.function_of(node)
    if fn is not None:
        key, val = fn
        if key == "Ref" and val in foreign:
            name = f"{val}Ref"
            params[name] = f"Ref {val}"
            return {"Ref": name}
        if key == "Fn::GetAtt":
            parts = val if isinstance(val, list) else str(val).split(".", 1)
            if parts and parts[0] in foreign:
                name = re.sub(r"[^A-Za-z0-9]", "", "".join(str(p) for p in parts))
                params[name] = "Fn::GetAtt " + ".".join(str(p) for p in parts)
                return {"Ref": name}
        if key == "Fn::Sub":
            sub = intrinsics.sub_parts(val)
            if sub is not None:

                def repl(target: str, attr: str) -> str | None:
                    if target not in foreign:
                        return None
                    name = target + (attr.replace(".", "") if attr else "Ref")
                    params[name] = (f"Fn::GetAtt {target}.{attr}") if attr else f"Ref {target}"
                    return "${" + name + "}"

                new_text = intrinsics.substitute(sub[0], repl)
                if isinstance(val, list):
                    return {"Fn::Sub": [new_text, _rewrite_foreign(val[1:], foreign, params)[0]]}
                return {"Fn::Sub": new_text}
    if isinstance(node, dict):
        return {k: _rewrite_foreign(v, foreign, params) for k, v in node.items()}
    if isinstance(node, list):
        return [_rewrite_foreign(v, foreign, params) for v in node]
    return node


# --------------------------------------------------------------------------------------------------
# Template assembly
# --------------------------------------------------------------------------------------------------
def _resource_metadata(r: Resource, template_region: str) -> dict[str, Any]:
    """The ``Metadata.cloudwright`` block that lets the import restore what the template cannot say."""
    block: dict[str, Any] = {}
    for key in ("label", "role", "component"):
        if r.metadata.get(key):
            block[key] = r.metadata[key]
    block["tier"] = r.placement.tier
    if r.placement.region != template_region:
        block["region"] = r.placement.region
    if r.placement.vpc:
        block["vpc"] = r.placement.vpc
    if r.placement.azs:
        block["azs"] = list(r.placement.azs)
    usage = {k: _meta_value(r.usage[k]) for k in sorted(r.usage) if r.usage[k] is not None}
    if usage:
        block["usage"] = usage
    return block


def _meta_value(value: Any) -> Any:
    """cfn-lint's Metadata schema takes no floats or nulls: floats are written as decimal strings."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float | Decimal):
        number = float(value)
        if math.isfinite(number) and number.is_integer() and abs(number) < 2**53:
            return int(number)
        return str(value)
    if isinstance(value, dict):
        return {str(k): _meta_value(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_meta_value(v) for v in value if v is not None]
    return value


def _checkov_skips(r: Resource, existing: Any, environment: str) -> Any:
    skips: dict[str, dict[str, str]] = {}
    for item in existing or []:
        if isinstance(item, dict) and "id" in item:
            skips[str(item["id"])] = dict(item)
    for s in SUPPRESSIONS:
        if s.applies(r, environment) and s.check_id not in skips:
            skips[s.check_id] = {"id": s.check_id, "comment": s.reason}
    return [skips[k] for k in sorted(skips)]


def _render_resource(r: Resource, template_region: str, environment: str) -> dict[str, Any]:
    props = _with_tags(r.type, copy.deepcopy(r.properties))
    implied = references(props)
    body: dict[str, Any] = {"Type": r.type}
    if r.condition:
        body["Condition"] = r.condition
    depends = sorted({d for d in r.depends_on if d not in implied and d != r.logical_id})
    if depends:
        body["DependsOn"] = depends
    for key in (
        "Description",
        "Version",
        "DeletionPolicy",
        "UpdateReplacePolicy",
        "UpdatePolicy",
        "CreationPolicy",
    ):
        if key in r.attributes:
            body[key] = copy.deepcopy(r.attributes[key])
    meta = copy.deepcopy(r.attributes.get("Metadata") or {})
    if not isinstance(meta, dict):
        raise TemplateError(f"resource {r.logical_id}: Metadata must be a mapping")
    checkov = dict(dict_or_empty(meta.get("checkov")))
    skips = _checkov_skips(r, checkov.get("skip"), environment)
    if skips:
        checkov["skip"] = skips
        meta["checkov"] = checkov
    meta["cloudwright"] = _resource_metadata(r, template_region)
    body["Metadata"] = {k: meta[k] for k in sorted(meta)}
    if props:
        body["Properties"] = props
    return {k: body[k] for k in _RESOURCE_KEY_ORDER if k in body}


def _standard_parameters(design: Design, environment: str) -> dict[str, Any]:
    return {
        "CostCentre": {
            "Type": "String",
            "Default": str(design.metadata.get("cost_centre", "unassigned")),
            "Description": "Cost centre the resources are charged to (tag cost-centre).",
        },
        "Environment": {
            "Type": "String",
            "Default": environment,
            "AllowedValues": list(ENVIRONMENTS),
            "Description": "Deployment environment (tag environment).",
        },
        "ProjectName": {
            "Type": "String",
            "Default": design.name,
            "Description": "Project name (tag project).",
        },
    }


def _template(
    design: Design, resources: list[Resource], environment: str, *, primary: bool, region: str
) -> dict[str, Any]:
    ids = {r.logical_id for r in resources}
    others = {r.logical_id for r in design.resources} - ids
    rendered: dict[str, Any] = {}
    foreign_params: dict[str, str] = {}
    for r in sorted(resources, key=lambda x: x.logical_id):
        body = _render_resource(r, region, environment)
        if others:
            body = _rewrite_foreign(body, others, foreign_params)
            if "DependsOn" in body:
                body["DependsOn"] = [d for d in body["DependsOn"] if d not in others]
                if not body["DependsOn"]:
                    del body["DependsOn"]
        rendered[r.logical_id] = body
    inactive = _inactive(design) if primary else ({}, [])
    if inactive[0]:
        # Resources an import left out because their condition was false go back as they were read.
        rendered.update(copy.deepcopy(inactive[0]))
        rendered = {k: rendered[k] for k in sorted(rendered)}
        ids = ids | set(inactive[0])

    outputs = _auto_outputs(resources)
    if primary:
        outputs.update(copy.deepcopy(design.outputs))
    outputs = {k: outputs[k] for k in sorted(outputs)}
    if others:
        outputs = {k: v for k, v in outputs.items() if not (references(v) & others)}

    conditions = {k: copy.deepcopy(v) for k, v in sorted(design.conditions.items())}
    if not primary:  # a Region's own template keeps only the conditions its resources use
        conditions = {k: v for k, v in conditions.items() if k in references(rendered) | references(outputs)}
    used = references(rendered) | references(outputs) | references(conditions)
    params: dict[str, Any] = {}
    for name, spec in _standard_parameters(design, environment).items():
        if name in used:
            params[name] = spec
    regional = {
        p for p in list_or_empty(design.metadata.get("regional_parameters")) if isinstance(p, str)
    }  # filled in by other Regions' stacks
    for name, spec in design.parameters.items():
        if (primary and name not in regional) or name in used:
            params[name] = copy.deepcopy(spec)
    if environment != design.environment and "Environment" in params:
        params["Environment"] = {**params["Environment"], "Default": environment}
    for name, what in sorted(foreign_params.items()):
        params[name] = {"Type": "String", "Description": f"From the {design.region} stack: {what}"}

    meta: dict[str, Any] = {
        "name": design.name,
        "environment": environment,
        "region": region,
    }
    if primary and design.assumptions:
        meta["assumptions"] = {
            k: _meta_value(design.assumptions[k])
            for k in sorted(design.assumptions)
            if design.assumptions[k] is not None
        }
    all_edges = design.sorted_edges()
    if inactive[1]:
        all_edges = sorted({*all_edges, *inactive[1]}, key=lambda e: (e.source, e.target, e.kind, e.label))
    edges = [e for e in all_edges if e.source in ids and e.target in ids]
    if edges:
        meta["edges"] = [
            f"{e.source} -> {e.target} [{e.kind}]" + (f" {e.label}" if e.label else "") for e in edges
        ]

    description = design.description or f"{design.name} ({environment})"
    if not primary:
        description = f"{description} — {region} resources"
    template: dict[str, Any] = {
        "AWSTemplateFormatVersion": FORMAT_VERSION,
        "Description": description[:1024],
    }
    if design.metadata.get("transform") is not None:
        template["Transform"] = copy.deepcopy(design.metadata["transform"])
    extra_meta = design.metadata.get("template_metadata")
    template["Metadata"] = {
        **(copy.deepcopy(extra_meta) if isinstance(extra_meta, dict) else {}),
        "cloudwright": meta,
    }
    if params:
        template["Parameters"] = {k: params[k] for k in sorted(params)}
    if primary and design.mappings:
        template["Mappings"] = copy.deepcopy(design.mappings)
    if conditions:
        template["Conditions"] = conditions
    template["Resources"] = rendered
    if outputs:
        template["Outputs"] = outputs
    return template


def _inactive(design: Design) -> tuple[dict[str, Any], list[Edge]]:
    """Resources (and their edges) that an import left out because their condition was false."""
    stash = design.metadata.get("inactive")
    if not isinstance(stash, dict):
        return {}, []
    resources = stash.get("resources")
    edges: list[Edge] = []
    for item in list_or_empty(stash.get("edges")):
        if isinstance(item, dict):
            try:
                edges.append(Edge.model_validate(item))
            except ValueError:
                continue
    return (dict(resources) if isinstance(resources, dict) else {}), edges


_REGION_RE = re.compile(r"^[a-z]{2}(?:-[a-z]+)+-\d+$")


def stack_region(resource: Resource, design: Design) -> str:
    """The region whose template holds a resource: its own region, or the design's for global services
    (placement ``global`` — Route 53, CloudFront, WAF for CloudFront — are managed from the primary stack)."""
    region = resource.placement.region
    return region if _REGION_RE.match(region) else design.region


def template_dict(design: Design, *, environment: str | None = None) -> dict[str, Any]:
    """The primary-region template as a plain dict (what :func:`render_template` serialises)."""
    env = environment or design.environment
    primary = [r for r in design.resources if stack_region(r, design) == design.region]
    if not primary:
        raise TemplateError(f"design {design.name!r} has no resource in its region {design.region}")
    return _template(design, primary, env, primary=True, region=design.region)


def render_template(design: Design, *, environment: str | None = None) -> str:
    """Render the design's primary-region CloudFormation template as YAML (deterministic)."""
    return dump_yaml(template_dict(design, environment=environment))


def secondary_regions(design: Design) -> list[str]:
    return sorted({stack_region(r, design) for r in design.resources} - {design.region})


def template_filename(region: str | None = None) -> str:
    return PRIMARY_FILENAME if region is None else f"template.{region}.yaml"


def render_templates(design: Design, *, environment: str | None = None) -> dict[str, str]:
    """All templates of a design: ``template.yaml`` plus ``template.<region>.yaml`` per other region."""
    env = environment or design.environment
    out = {PRIMARY_FILENAME: render_template(design, environment=env)}
    for region in secondary_regions(design):
        resources = [r for r in design.resources if stack_region(r, design) == region]
        out[template_filename(region)] = dump_yaml(
            _template(design, resources, env, primary=False, region=region)
        )
    return out


# --------------------------------------------------------------------------------------------------
# YAML
# --------------------------------------------------------------------------------------------------
def dump_yaml(data: Any) -> str:
    """Serialise a template: block style, insertion order, literal blocks for multi-line strings."""
    import yaml

    class _Dumper(yaml.SafeDumper):
        def ignore_aliases(self, data: Any) -> bool:
            return True

    def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
        if "\n" in value:
            return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
        return dumper.represent_scalar("tag:yaml.org,2002:str", value)

    def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
        if value == value.to_integral_value():
            return dumper.represent_int(int(value))
        return dumper.represent_float(float(value))

    _Dumper.add_representer(str, _str)
    _Dumper.add_representer(Decimal, _decimal)
    return yaml.dump(
        data, Dumper=_Dumper, sort_keys=False, default_flow_style=False, allow_unicode=True, width=4096
    )

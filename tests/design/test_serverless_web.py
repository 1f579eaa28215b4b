"""Serverless web builders: static-site, cognito, rest-api, http-api, dynamodb."""

from __future__ import annotations

import math
from functools import partial
from typing import Any

import pytest
from component_builds import build_components

from cloudwright.design.build import BuildContext
from cloudwright.design.components import apis, nosql
from cloudwright.design.model import Design
from cloudwright.errors import InputError
from cloudwright.requirements import requirements_from_mapping

build = partial(build_components, name="shop")


def skipped(res: Any) -> set[str]:
    return {s["id"] for s in res.attributes.get("Metadata", {}).get("checkov", {}).get("skip", [])}


def test_static_site_private_bucket_behind_oac() -> None:
    d = build([("static-site", {})], expected_users=100_000)
    bucket = d["SiteBucket"]
    assert bucket.prop("PublicAccessBlockConfiguration") == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    assert bucket.prop("VersioningConfiguration.Status") == "Enabled"
    assert bucket.prop("BucketEncryption.ServerSideEncryptionConfiguration.0.ServerSideEncryptionByDefault")
    assert bucket.prop("LoggingConfiguration.DestinationBucketName") == {"Ref": "AccessLogsBucket"}
    statements = d["SiteBucketPolicy"].prop("PolicyDocument.Statement")
    deny = [s for s in statements if s["Effect"] == "Deny"]
    assert deny and deny[0]["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    allow = [s for s in statements if s["Effect"] == "Allow"]
    assert allow[0]["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    assert "SiteDistribution" in allow[0]["Condition"]["StringEquals"]["AWS:SourceArn"]["Fn::Sub"]
    dist = d["SiteDistribution"]
    assert dist.prop("DistributionConfig.DefaultCacheBehavior.ViewerProtocolPolicy") == "redirect-to-https"
    assert dist.prop("DistributionConfig.Origins.0.OriginAccessControlId") == {
        "Fn::GetAtt": ["SiteOriginAccessControl", "Id"]
    }
    assert dist.prop("DistributionConfig.Logging.Bucket")
    # seed 002: 2 MB of assets and 30 requests per user per month
    assert dist.usage["monthly_data_transfer_to_internet_gb"] == pytest.approx(100_000 * 2 / 1024, rel=1e-3)
    assert dist.usage["monthly_https_requests"] == 3_000_000
    assert any(e.source == "SiteDistribution" and e.target == "SiteBucket" for e in d.edges)


def test_static_site_dev_is_cheaper_and_says_why() -> None:
    d = build([("static-site", {})], env="dev", expected_users=100_000)
    assert d.get("AccessLogsBucket") is None
    assert "LoggingConfiguration" not in d["SiteBucket"].properties
    assert "CKV_AWS_18" in skipped(d["SiteBucket"])
    assert "CKV_AWS_86" in skipped(d["SiteDistribution"])
    assert d["SiteDistribution"].usage["monthly_https_requests"] == round(100_000 * 0.05 * 30)


def test_cognito_plan_follows_compliance() -> None:
    plain = build([("cognito", {})], expected_users=20_000)
    pool = plain["UserPool"]
    assert pool.prop("MfaConfiguration") == "OPTIONAL"
    assert pool.prop("Policies.PasswordPolicy.MinimumLength") >= 12
    assert pool.prop("UserPoolTier") == "ESSENTIALS"
    assert "UserPoolAddOns" not in pool.properties
    assert pool.usage == {"monthly_active_users": 20_000}
    assert plain["UserPoolClient"].prop("GenerateSecret") is False
    regulated = build([("cognito", {})], compliance=["HIPAA"])
    assert regulated["UserPool"].prop("UserPoolTier") == "PLUS"
    assert regulated["UserPool"].prop("UserPoolAddOns.AdvancedSecurityMode") == "ENFORCED"
    dev = build([("cognito", {})], env="dev", compliance=["HIPAA"])
    assert dev["UserPool"].prop("DeletionProtection") == "INACTIVE"


def test_rest_api_wires_authorizer_function_and_table() -> None:
    d = build(
        [("cognito", {}), ("dynamodb", {"tables": ["users"]}), ("rest-api", {})], requests_per_second=100
    )
    assert d["RestApiAuthorizer"].prop("Type") == "COGNITO_USER_POOLS"
    assert d["RestApiAuthorizer"].prop("ProviderARNs") == [{"Fn::GetAtt": ["UserPool", "Arn"]}]
    for method in ("UserGetMethod", "UsersPostMethod"):
        assert d[method].prop("AuthorizationType") == "COGNITO_USER_POOLS"
        assert d[method].prop("Integration.Type") == "AWS_PROXY"
    fn = d["UsersFunction"]
    assert fn.prop("Runtime") in ("python3.12", "python3.13")
    assert fn.prop("Architectures") == ["arm64"]
    assert "def handler(event, context)" in fn.prop("Code.ZipFile")
    assert fn.prop("TracingConfig.Mode") == "Active"
    assert fn.prop("Environment.Variables.USERS_TABLE") == {"Ref": "UsersTable"}
    assert fn.usage == {"monthly_requests": 100 * 730 * 3600, "request_duration_ms": 100}
    stmts = d["UsersFunctionRole"].prop("Policies.0.PolicyDocument.Statement")
    table_stmt = next(s for s in stmts if any("dynamodb" in a for a in s["Action"]))
    assert table_stmt["Resource"] == [{"Fn::GetAtt": ["UsersTable", "Arn"]}]
    assert all(s["Resource"] != "*" for s in stmts)
    assert d["UsersFunctionLogs"].prop("RetentionInDays") == 365
    assert d["RestApi"].usage["monthly_requests"] == 100 * 730 * 3600
    # peak 100 × 3 = 300 rps; stage throttle = ceil(300 × 1.2), burst twice that
    setting = d["RestApiStage"].prop("MethodSettings.0")
    assert setting["ThrottlingRateLimit"] == 360
    assert setting["ThrottlingBurstLimit"] == 720
    assert d["RestApiStage"].prop("AccessLogSetting.DestinationArn") == {
        "Fn::GetAtt": ["RestApiAccessLogs", "Arn"]
    }
    assert d["RestApiStage"].depends_on == ["ApiGatewayAccount"]
    kinds = {(e.source, e.target): e.kind for e in d.edges}
    assert kinds[("RestApi", "UsersFunction")] == "request"
    assert kinds[("UsersFunction", "UsersTable")] == "data"


def test_rest_api_throttle_is_capped_by_account_quota_and_warns() -> None:
    d = build([("rest-api", {})], requests_per_second=5000)  # peak 15,000 rps
    setting = d["RestApiStage"].prop("MethodSettings.0")
    assert setting["ThrottlingRateLimit"] == apis.APIGW_ACCOUNT_RATE
    assert setting["ThrottlingBurstLimit"] == apis.APIGW_ACCOUNT_BURST
    assert any("API Gateway" in w and "10,000" in w for w in d.warnings)
    # the function's concurrency (15,000 × 0.1 s = 1,500) exceeds the default Lambda quota
    assert any("Lambda" in w and "1,000" in w for w in d.warnings)


def test_rest_api_builds_its_own_pool_and_table_when_missing() -> None:
    d = build([("rest-api", {})])
    assert d["UserPool"].type == "AWS::Cognito::UserPool"
    assert d["UsersTable"].type == "AWS::DynamoDB::Table"


def test_http_api_jwt_authorizer_and_routes() -> None:
    d = build([("cognito", {}), ("http-api", {})], requests_per_second=10)
    auth = d["HttpApiAuthorizer"]
    assert auth.prop("AuthorizerType") == "JWT"
    assert auth.prop("JwtConfiguration.Audience") == [{"Ref": "UserPoolClient"}]
    assert "cognito-idp" in auth.prop("JwtConfiguration.Issuer.Fn::Sub")
    routes = sorted(r.prop("RouteKey") for r in d.by_type("AWS::ApiGatewayV2::Route"))
    assert routes == ["GET /users/{userId}", "POST /users"]
    assert all(r.prop("AuthorizationType") == "JWT" for r in d.by_type("AWS::ApiGatewayV2::Route"))
    stage = d["HttpApiStage"]
    assert stage.prop("DefaultRouteSettings.ThrottlingRateLimit") == math.ceil(10 * 3 * 1.2)
    assert stage.prop("AccessLogSettings.DestinationArn")
    assert d["HttpApi"].usage["monthly_requests"] == 10 * 730 * 3600
    orders = build([("http-api", {"handler": "order_service"})])
    assert [r.prop("RouteKey") for r in orders.by_type("AWS::ApiGatewayV2::Route")] == ["POST /orders"]
    assert orders["OrderServiceFunction"].prop("Environment.Variables.ORDER_EVENTS_TOPIC") == {
        "Ref": "OrderEventsTopic"
    }
    with pytest.raises(InputError):
        build([("http-api", {"handler": "nope"})])


def test_dynamodb_prod_vs_dev_protection() -> None:
    prod = build([("dynamodb", {"tables": ["users", "orders"]})])
    dev = build([("dynamodb", {"tables": ["users", "orders"]})], env="dev")
    for t in ("UsersTable", "OrdersTable"):
        assert prod[t].prop("PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled") is True
        assert prod[t].prop("DeletionProtectionEnabled") is True
        assert prod[t].attributes["DeletionPolicy"] == "Retain"
        assert dev[t].prop("PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled") is False
        assert dev[t].prop("DeletionProtectionEnabled") is False
        assert "CKV_AWS_28" in skipped(dev[t])
        assert prod[t].prop("SSESpecification.SSEEnabled") is True
    assert prod["UsersTable"].usage["pitr_backup_storage_gb"] > 0
    assert dev["UsersTable"].usage["pitr_backup_storage_gb"] == 0


def test_dynamodb_uses_customer_key_when_present() -> None:
    d = build([("dynamodb", {})], kms=True)
    assert d["UsersTable"].prop("SSESpecification.KMSMasterKeyId") == {"Fn::GetAtt": ["DataKey", "Arn"]}
    assert "CKV_AWS_119" not in skipped(d["UsersTable"])


def test_dynamodb_request_units_from_rps_and_read_mix() -> None:
    d = build(
        [("dynamodb", {})], requests_per_second=100, read_percent=80, avg_request_kb=2, avg_response_kb=5
    )
    usage = d["UsersTable"].usage
    month = 730 * 3600
    assert usage["monthly_write_request_units"] == round(20 * 2 * month)  # 2 KB writes = 2 WRU
    assert usage["monthly_read_request_units"] == round(80 * 1 * month)  # 5 KB eventually consistent = 1 RRU
    assert d["UsersTable"].prop("BillingMode") == "PAY_PER_REQUEST"


def test_dynamodb_provisioned_for_steady_heavy_traffic() -> None:
    d = build([("dynamodb", {})], requests_per_second=1000, peak_to_average_ratio=1.5, read_percent=50)
    table = d["UsersTable"]
    assert table.prop("BillingMode") == "PROVISIONED"
    # 500 writes/s × 1.5 peak × 2 WRU (2 KB) = 1,500 WCU; 500 reads/s × 1.5 × 1 RRU (5 KB, eventual) = 750 RCU
    assert table.prop("ProvisionedThroughput") == {"ReadCapacityUnits": 750, "WriteCapacityUnits": 1500}
    assert d["UsersTableWriteScalableTarget"].prop("ScalableDimension") == "dynamodb:table:WriteCapacityUnits"
    assert d["UsersTableReadScalingPolicy"].prop("PolicyType") == "TargetTrackingScaling"
    spiky = build([("dynamodb", {})], requests_per_second=1000, peak_to_average_ratio=5)
    assert spiky["UsersTable"].prop("BillingMode") == "PAY_PER_REQUEST"


def test_dynamodb_rejects_unknown_table() -> None:
    with pytest.raises(InputError) as err:
        build([("dynamodb", {"tables": ["nope"]})])
    assert err.value.field == "component dynamodb options.tables"


def test_every_function_has_supported_runtime_and_retained_logs() -> None:
    d = build(
        [("static-site", {}), ("cognito", {}), ("rest-api", {}), ("http-api", {"handler": "order_service"})]
    )
    fns = d.by_type("AWS::Lambda::Function")
    assert len(fns) == 2
    for fn in fns:
        assert fn.prop("Runtime") in ("python3.12", "python3.13")
        log = d[fn.prop("LoggingConfig.LogGroup")["Ref"]]
        assert log.prop("RetentionInDays") > 0
        assert len(fn.prop("Code.ZipFile").encode()) < 4000


def test_pattern_data_picks_the_tables_and_handler_the_pattern_needs() -> None:
    from cloudwright.patterns.catalog import load_patterns

    patterns = load_patterns()
    options = {c.builder: c.options for c in patterns["event-driven-microservices"].components}
    r = requirements_from_mapping({"name": "shop"})
    ctx = BuildContext(requirements=r, environment="prod", design=Design())
    apis.http_api(ctx, apis.HttpApiOptions.model_validate(options["http-api"]))
    nosql.dynamodb(ctx, nosql.DynamoDbOptions.model_validate(options["dynamodb"]))
    d = ctx.design
    assert [x.prop("RouteKey") for x in d.by_type("AWS::ApiGatewayV2::Route")] == ["POST /orders"]
    assert {t.logical_id for t in d.by_type("AWS::DynamoDB::Table")} == {"OrdersTable", "InventoryTable"}
    mobile_options = {c.builder: c.options for c in patterns["serverless-mobile-appsync"].components}
    mobile = BuildContext(requirements=r, environment="prod", design=Design())
    nosql.dynamodb(mobile, nosql.DynamoDbOptions.model_validate(mobile_options["dynamodb"]))
    assert [t.logical_id for t in mobile.design.by_type("AWS::DynamoDB::Table")] == ["ItemsTable"]
    # without options: the users API and the users table
    plain = BuildContext(requirements=r, environment="prod", design=Design())
    apis.http_api(plain, apis.HttpApiOptions())
    nosql.dynamodb(plain, nosql.DynamoDbOptions())
    assert [t.logical_id for t in plain.design.by_type("AWS::DynamoDB::Table")] == ["UsersTable"]


def test_browser_access_from_the_site_origin() -> None:
    site = {"Fn::Sub": "https://${SiteDistribution.DomainName}"}
    rest = build([("static-site", {}), ("rest-api", {})])
    options = [m for m in rest.by_type("AWS::ApiGateway::Method") if m.prop("HttpMethod") == "OPTIONS"]
    assert {m.prop("ResourceId")["Ref"] for m in options} == {"UsersResource", "UserIdResource"}
    assert all(m.prop("Integration.Type") == "MOCK" for m in options)
    assert set(rest["RestApiDeployment"].depends_on) >= {m.logical_id for m in options}
    assert rest["UsersFunction"].prop("Environment.Variables.ALLOWED_ORIGIN") == site
    responses = rest.by_type("AWS::ApiGateway::GatewayResponse")
    assert sorted(r.prop("ResponseType") for r in responses) == ["DEFAULT_4XX", "DEFAULT_5XX"]
    http = build([("static-site", {}), ("http-api", {})])
    assert http["HttpApi"].prop("CorsConfiguration.AllowOrigins") == [site]
    # no site, no browser origin to allow
    bare = build([("http-api", {})])
    assert "CorsConfiguration" not in bare["HttpApi"].properties
    assert not [
        m
        for m in build([("rest-api", {})]).by_type("AWS::ApiGateway::Method")
        if m.prop("HttpMethod") == "OPTIONS"
    ]


def test_dynamodb_table_names_are_the_known_tables() -> None:
    from typing import get_args

    assert set(get_args(nosql.TableName)) == set(nosql.TABLES)
    assert nosql.DynamoDbOptions().tables == ["users"]

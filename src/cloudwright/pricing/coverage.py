"""Classification of CloudFormation types: priced (a cost model), free, or unsupported.

``FREE_TYPES`` is data, in CloudFormation names: these resources carry no charge of their own (their
cost, if any, is priced on another resource — e.g. a Route 53 record set's queries on its hosted zone,
an ECS task definition on its service, a VPC flow log's ingestion on its log group).
"""

from __future__ import annotations

from typing import Literal

from cloudwright.pricing.registry import load_cost_models

FREE_TYPES: frozenset[str] = frozenset(
    {
        # networking plumbing (VPCs, subnets, routing and security groups carry no charge)
        "AWS::EC2::VPC",
        "AWS::EC2::Subnet",
        "AWS::EC2::SecurityGroup",
        "AWS::EC2::SecurityGroupIngress",
        "AWS::EC2::SecurityGroupEgress",
        "AWS::EC2::RouteTable",
        "AWS::EC2::Route",
        "AWS::EC2::SubnetRouteTableAssociation",
        "AWS::EC2::InternetGateway",
        "AWS::EC2::VPCGatewayAttachment",
        "AWS::EC2::NetworkAcl",
        "AWS::EC2::NetworkAclEntry",
        "AWS::EC2::SubnetNetworkAclAssociation",
        "AWS::EC2::EgressOnlyInternetGateway",
        "AWS::EC2::VPCCidrBlock",
        "AWS::EC2::FlowLog",  # ingestion is priced on the destination log group
        "AWS::EC2::LaunchTemplate",  # priced through the instances that use it
        "AWS::Backup::BackupSelection",  # backups are priced on the vaults that hold them
        "AWS::RDS::GlobalCluster",  # priced through its member clusters
        "AWS::EC2::KeyPair",
        # identity
        "AWS::IAM::Role",
        "AWS::IAM::Policy",
        "AWS::IAM::ManagedPolicy",
        "AWS::IAM::InstanceProfile",
        "AWS::IAM::ServiceLinkedRole",
        "AWS::IAM::User",
        "AWS::IAM::Group",
        "AWS::Cognito::UserPoolClient",
        "AWS::Cognito::UserPoolDomain",
        "AWS::Cognito::UserPoolGroup",
        "AWS::Cognito::IdentityPool",
        "AWS::Cognito::IdentityPoolRoleAttachment",
        # compute glue
        "AWS::Lambda::Permission",
        "AWS::Lambda::EventSourceMapping",
        "AWS::Lambda::Alias",
        "AWS::Lambda::Version",
        "AWS::Lambda::LayerVersion",
        "AWS::Lambda::Url",
        "AWS::ECS::Cluster",
        "AWS::ECS::TaskDefinition",  # priced through its ECS service
        "AWS::ECS::ClusterCapacityProviderAssociations",
        "AWS::AutoScaling::ScalingPolicy",
        "AWS::AutoScaling::LaunchConfiguration",
        "AWS::ApplicationAutoScaling::ScalableTarget",
        "AWS::ApplicationAutoScaling::ScalingPolicy",
        "AWS::EKS::Addon",
        "AWS::EKS::AccessEntry",
        # load balancing
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        "AWS::ElasticLoadBalancingV2::Listener",
        "AWS::ElasticLoadBalancingV2::ListenerRule",
        "AWS::ElasticLoadBalancingV2::ListenerCertificate",
        # API Gateway configuration (requests are priced on the API)
        "AWS::ApiGateway::Resource",
        "AWS::ApiGateway::Method",
        "AWS::ApiGateway::Deployment",
        "AWS::ApiGateway::Authorizer",
        "AWS::ApiGateway::Account",
        "AWS::ApiGateway::Model",
        "AWS::ApiGateway::RequestValidator",
        "AWS::ApiGateway::BasePathMapping",
        "AWS::ApiGateway::GatewayResponse",
        "AWS::ApiGateway::UsagePlan",
        "AWS::ApiGateway::UsagePlanKey",
        "AWS::ApiGateway::ApiKey",
        "AWS::ApiGateway::DocumentationPart",
        "AWS::ApiGateway::DomainName",  # custom domains carry no API Gateway charge
        "AWS::ApiGatewayV2::DomainName",
        "AWS::ApiGatewayV2::Deployment",
        "AWS::Lambda::EventInvokeConfig",
        "AWS::S3::AccessPoint",
        "AWS::ApiGatewayV2::Stage",
        "AWS::ApiGatewayV2::Route",
        "AWS::ApiGatewayV2::Integration",
        "AWS::ApiGatewayV2::Authorizer",
        "AWS::ApiGatewayV2::ApiMapping",
        # storage, data and messaging glue
        "AWS::S3::BucketPolicy",
        "AWS::SQS::QueuePolicy",
        "AWS::SNS::TopicPolicy",
        "AWS::SNS::Subscription",  # deliveries are priced on the topic
        "AWS::Events::Rule",  # rules are free; events are priced on the bus
        "AWS::Glue::Table",
        "AWS::Athena::NamedQuery",
        "AWS::StepFunctions::Activity",
        "AWS::KMS::Alias",
        "AWS::SecretsManager::SecretTargetAttachment",
        "AWS::SecretsManager::RotationSchedule",
        "AWS::Logs::MetricFilter",
        "AWS::Logs::SubscriptionFilter",
        "AWS::Logs::ResourcePolicy",
        "AWS::RDS::DBSubnetGroup",
        "AWS::RDS::DBParameterGroup",
        "AWS::RDS::DBClusterParameterGroup",
        "AWS::ElastiCache::SubnetGroup",
        "AWS::ElastiCache::ParameterGroup",
        "AWS::Route53::RecordSet",  # queries are priced on the hosted zone
        "AWS::Route53::RecordSetGroup",
        "AWS::CloudFront::OriginAccessControl",
        "AWS::CloudFront::CachePolicy",
        "AWS::CloudFront::OriginRequestPolicy",
        "AWS::CloudFront::ResponseHeadersPolicy",
        "AWS::WAFv2::WebACLAssociation",
        "AWS::WAFv2::LoggingConfiguration",  # log delivery is priced on the destination
        "AWS::Glue::SecurityConfiguration",
        "AWS::Logs::LogStream",  # ingestion and storage are priced on the log group
        "AWS::IoT::ThingType",
        "AWS::AppSync::DataSource",
        "AWS::AppSync::Resolver",
        "AWS::AppSync::GraphQLSchema",
        "AWS::AppSync::ApiKey",
        "AWS::AppSync::FunctionConfiguration",
        "AWS::IoT::Policy",
        "AWS::IoT::Thing",
        "AWS::IoT::PolicyPrincipalAttachment",
        "AWS::IoT::ThingPrincipalAttachment",
        "AWS::CloudFormation::WaitConditionHandle",
        "AWS::CloudFormation::WaitCondition",
        "AWS::SSM::Parameter",  # standard parameters
        "AWS::CertificateManager::Certificate",  # public certificates
    }
)

Classification = Literal["priced", "free", "usage-only", "unsupported"]


def classify(cfn_type: str) -> Classification:
    models = load_cost_models()
    if cfn_type in models:
        return "usage-only" if models[cfn_type].usage_only else "priced"
    if cfn_type in FREE_TYPES:
        return "free"
    return "unsupported"

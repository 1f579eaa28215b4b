"""Classification of CloudFormation types: priced (a cost model), free, or unsupported.

``FREE_TYPES`` is data, in CloudFormation names: these resources carry no charge of their own (their
cost, if any, is priced on another resource — e.g. a Route 53 record set's queries on its hosted zone,
an ECS task definition on its service, a VPC flow log's ingestion on its log group).
"""

from __future__ import annotations

from functools import cache
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
        # identity and access configuration (IAM has no charge)
        "AWS::IAM::RolePolicy",
        "AWS::IAM::UserPolicy",
        "AWS::IAM::GroupPolicy",
        "AWS::IAM::UserToGroupAddition",
        "AWS::IAM::AccessKey",
        "AWS::IAM::OIDCProvider",
        "AWS::IAM::SAMLProvider",
        "AWS::IAM::VirtualMFADevice",
        "AWS::Cognito::UserPoolResourceServer",
        "AWS::Cognito::UserPoolIdentityProvider",
        "AWS::Cognito::UserPoolUICustomizationAttachment",
        # CloudFormation's own resources (no charge for AWS:: and Custom:: resources; a custom resource's
        # work is priced on the function or topic that serves it; nested stacks are not free: their
        # resources are in another template, so AWS::CloudFormation::Stack stays unpriced)
        "AWS::CloudFormation::Macro",
        "AWS::CloudFormation::CustomResource",
        # placement and attachments of resources priced elsewhere
        "AWS::EFS::MountTarget",  # EFS is priced on the file system's storage and throughput
        "AWS::EFS::AccessPoint",
        "AWS::EC2::EIPAssociation",  # the address is priced on AWS::EC2::EIP
        "AWS::EC2::VolumeAttachment",  # the volume is priced on AWS::EC2::Volume
        "AWS::EC2::DHCPOptions",
        "AWS::EC2::VPCDHCPOptionsAssociation",
        "AWS::EC2::PlacementGroup",
        "AWS::EC2::SecurityGroupVpcAssociation",
        "AWS::EC2::SubnetCidrBlock",
        "AWS::AutoScaling::LifecycleHook",
        "AWS::AutoScaling::ScheduledAction",
        "AWS::ECS::CapacityProvider",
        "AWS::Lambda::LayerVersionPermission",
        "AWS::Lambda::CodeSigningConfig",
        "AWS::StepFunctions::StateMachineVersion",
        "AWS::StepFunctions::StateMachineAlias",
        "AWS::SNS::TopicInlinePolicy",
        "AWS::SQS::QueueInlinePolicy",
        "AWS::Events::EventBusPolicy",
        "AWS::SecretsManager::ResourcePolicy",
        "AWS::Logs::QueryDefinition",  # queries are priced (per GB scanned) when they run
        "AWS::Logs::Destination",  # delivery is priced on the receiving stream
        "AWS::ApiGateway::ClientCertificate",
        "AWS::ApiGateway::DocumentationVersion",
        "AWS::ApiGatewayV2::RouteResponse",
        "AWS::ApiGatewayV2::IntegrationResponse",
        "AWS::ApiGatewayV2::Model",
        "AWS::CloudFront::CloudFrontOriginAccessIdentity",
        "AWS::CloudFront::KeyGroup",
        "AWS::CloudFront::PublicKey",
        "AWS::WAFv2::IPSet",  # rules and requests are priced on the web ACL
        "AWS::WAFv2::RegexPatternSet",
        "AWS::RDS::OptionGroup",
        "AWS::RDS::DBSecurityGroup",
        "AWS::RDS::EventSubscription",  # notifications are priced on the SNS topic
        "AWS::DocDB::DBSubnetGroup",
        "AWS::DocDB::DBClusterParameterGroup",
        "AWS::Neptune::DBSubnetGroup",
        "AWS::Neptune::DBClusterParameterGroup",
        "AWS::Neptune::DBParameterGroup",
        "AWS::Redshift::ClusterSubnetGroup",
        "AWS::Redshift::ClusterParameterGroup",
        "AWS::ElastiCache::SecurityGroup",
        "AWS::ElastiCache::User",
        "AWS::ElastiCache::UserGroup",
        "AWS::ElasticBeanstalk::Application",  # the environment's resources carry the cost
        "AWS::ElasticBeanstalk::ApplicationVersion",
        "AWS::ElasticBeanstalk::ConfigurationTemplate",
        "AWS::CodeDeploy::Application",
        "AWS::CodeDeploy::DeploymentConfig",
        "AWS::CodeBuild::SourceCredential",
        "AWS::CodePipeline::Webhook",
        "AWS::Athena::DataCatalog",
        "AWS::Athena::PreparedStatement",
    }
)

#: Type prefixes with no charge of their own: custom resources (their work is priced on the Lambda
#: function or SNS topic that serves them; CloudFormation charges handler operations only for
#: third-party registry types).
FREE_PREFIXES: tuple[str, ...] = ("Custom::",)

Classification = Literal["priced", "free", "usage-only", "unsupported"]


@cache  # static: the cost models and the free types are fixed once loaded
def classify(cfn_type: str) -> Classification:
    models = load_cost_models()
    if cfn_type in models:
        return "usage-only" if models[cfn_type].usage_only else "priced"
    if cfn_type in FREE_TYPES or cfn_type.startswith(FREE_PREFIXES):
        return "free"
    return "unsupported"

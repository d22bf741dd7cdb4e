/**
 * What CloudFormation does when a property of a resource changes ("Update requires" in the
 * CloudFormation template reference), for the resource types mq-platform deploys.
 *
 * Sources: the template reference page of each type,
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-<service>-<type>.html
 * (AWS::AmazonMQ::Broker: .../aws-resource-amazonmq-broker.html, also /work/notes/amazon-mq-rules.md §12),
 * cross-checked by test/review/update-behavior.test.ts against the CloudFormation service
 * specification bundled with the aws-cdk CLI (node_modules/aws-cdk/db.json.gz, `causesReplacement`),
 * which is what `cdk diff` uses.
 */

export interface UpdateBehavior {
  /** Properties whose change makes CloudFormation create a new resource and delete the old one. */
  readonly replaces: readonly string[];
  /** Properties whose change replaces the resource in some cases ("Update requires: Some interruptions or Replacement"). */
  readonly mayReplace?: readonly string[];
  /** Set for stateful types: what a replacement or deletion loses, said to a reviewer. */
  readonly stateful?: StatefulFacts;
}

export interface StatefulFacts {
  /** A short noun, e.g. "broker". */
  readonly noun: string;
  /** What is lost when it is deleted and recreated, e.g. "messages on it are lost and its endpoints change". */
  readonly loss: string;
}

export const UPDATE_BEHAVIOR: Readonly<Record<string, UpdateBehavior>> = {
  // Stateful: guarded in protected environments.
  'AWS::AmazonMQ::Broker': {
    replaces: ['AuthenticationStrategy', 'BrokerName', 'DeploymentMode', 'EncryptionOptions', 'EngineType', 'PubliclyAccessible', 'StorageType', 'SubnetIds'],
    stateful: { noun: 'broker', loss: 'messages on it are lost to its clients, its endpoints and broker id change' },
  },
  // KeySpec, KeyUsage, Origin and MultiRegion cannot change at all: "the update request fails,
  // regardless of the value of the UpdateReplacePolicy attribute" (aws-resource-kms-key.html).
  'AWS::KMS::Key': {
    replaces: [],
    stateful: { noun: 'KMS key', loss: 'data encrypted with it (the broker storage, the secrets) can no longer be decrypted once the old key is deleted' },
  },
  'AWS::SecretsManager::Secret': {
    replaces: ['Name'],
    stateful: { noun: 'secret', loss: 'a new password is generated and clients holding the old secret ARN break' },
  },
  'AWS::EC2::VPC': {
    replaces: ['CidrBlock', 'Ipv4IpamPoolId', 'Ipv4NetmaskLength', 'VpcEncryptionControl'],
    mayReplace: ['InstanceTenancy'],
    stateful: { noun: 'VPC', loss: 'everything in it (subnets, brokers, endpoints) has to be recreated' },
  },
  'AWS::EC2::Subnet': {
    replaces: ['AvailabilityZone', 'AvailabilityZoneId', 'CidrBlock', 'Ipv4IpamPoolId', 'Ipv4NetmaskLength', 'Ipv6IpamPoolId', 'Ipv6Native', 'Ipv6NetmaskLength', 'OutpostArn', 'VpcId'],
    mayReplace: ['Ipv6CidrBlock'],
    stateful: { noun: 'subnet', loss: 'brokers in it are replaced (their SubnetIds change)' },
  },
  'AWS::Logs::LogGroup': {
    replaces: ['LogGroupName'],
    stateful: { noun: 'log group', loss: 'the logs kept in it are deleted with the old group' },
  },

  // Stateless: a replacement is shown, never blocked.
  'AWS::KMS::Alias': { replaces: ['AliasName'] },
  'AWS::EC2::SecurityGroup': { replaces: ['GroupDescription', 'GroupName', 'VpcId'] },
  'AWS::EC2::SecurityGroupIngress': {
    replaces: ['CidrIp', 'CidrIpv6', 'FromPort', 'GroupId', 'GroupName', 'IpProtocol', 'SourcePrefixListId', 'SourceSecurityGroupId', 'SourceSecurityGroupName', 'SourceSecurityGroupOwnerId', 'ToPort'],
  },
  'AWS::EC2::SecurityGroupEgress': {
    replaces: ['CidrIp', 'CidrIpv6', 'DestinationPrefixListId', 'DestinationSecurityGroupId', 'FromPort', 'GroupId', 'IpProtocol', 'ToPort'],
  },
  'AWS::EC2::RouteTable': { replaces: ['VpcId'] },
  'AWS::EC2::SubnetRouteTableAssociation': { replaces: ['RouteTableId', 'SubnetId'] },
  'AWS::EC2::VPCEndpoint': { replaces: ['ResourceConfigurationArn', 'ServiceName', 'ServiceNetworkArn', 'ServiceRegion', 'VpcEndpointType', 'VpcId'] },
  'AWS::EC2::FlowLog': {
    replaces: ['DeliverCrossAccountRole', 'DeliverLogsPermissionArn', 'DestinationOptions', 'LogDestination', 'LogDestinationType', 'LogFormat', 'LogGroupName', 'MaxAggregationInterval', 'ResourceId', 'ResourceType', 'TagFieldSpecifications', 'TrafficType'],
  },
  'AWS::Logs::ResourcePolicy': { replaces: ['PolicyName'] },
  'AWS::IAM::Role': { replaces: ['Path', 'RoleName'] },
  'AWS::IAM::Policy': { replaces: [] },
  'AWS::IAM::ManagedPolicy': { replaces: ['Description', 'ManagedPolicyName', 'Path'] },
  'AWS::Lambda::Function': { replaces: ['FunctionName', 'PackageType', 'TenancyConfig'] },
  'AWS::Lambda::Permission': {
    replaces: ['Action', 'EventSourceToken', 'FunctionName', 'FunctionUrlAuthType', 'InvokedViaFunctionUrl', 'Principal', 'PrincipalOrgID', 'SourceAccount', 'SourceArn'],
  },
  'AWS::SecretsManager::RotationSchedule': { replaces: ['SecretId'] },
  'AWS::SecretsManager::ResourcePolicy': { replaces: ['SecretId'] },
  'AWS::SecretsManager::SecretTargetAttachment': { replaces: ['SecretId'] },
  'AWS::CloudWatch::Alarm': { replaces: ['AlarmName'] },
  'AWS::Events::Rule': { replaces: ['EventBusName', 'Name'] },
  'AWS::CloudWatch::Dashboard': { replaces: ['DashboardName'] },
  'AWS::SNS::Topic': { replaces: ['FifoTopic', 'TopicName'] },
  'AWS::SNS::TopicPolicy': { replaces: [] },
  'AWS::SNS::Subscription': { replaces: ['Endpoint', 'Protocol', 'TopicArn'] },
};

/** Custom resources are updated in place (their handler decides; ours never return a new physical id). */
export function updateBehavior(type: string): UpdateBehavior | undefined {
  if (type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource') return { replaces: [] };
  return UPDATE_BEHAVIOR[type];
}

export function isStateful(type: string): boolean {
  return updateBehavior(type)?.stateful !== undefined;
}

import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { newApp } from '../../../lib/app/synth';
import { MqNetwork } from '../../../lib/constructs/network/mq-network';
import { plainApp } from '../../support/apps';

describe('MqNetwork', () => {
  const app = plainApp();
  const stack = new Stack(app, 'Net', { env: { region: 'eu-west-1' } });
  new MqNetwork(stack, 'Network', {
    cidr: '10.20.0.0/16',
    availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
    flowLogRetention: logs.RetentionDays.THREE_MONTHS,
  });
  const template = Template.fromStack(stack);

  test('creates private isolated subnets only, in the named zones, with no internet path', () => {
    template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.20.0.0/16' });
    template.resourceCountIs('AWS::EC2::Subnet', 3);
    for (const az of ['eu-west-1a', 'eu-west-1b', 'eu-west-1c']) {
      template.hasResourceProperties('AWS::EC2::Subnet', { AvailabilityZone: az, MapPublicIpOnLaunch: false });
    }
    template.resourceCountIs('AWS::EC2::InternetGateway', 0);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
  });

  test('logs all traffic to an encrypted log group, through a role with a managed policy only', () => {
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [Match.objectLike({ Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'] })],
      },
    });
    template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs' });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90, KmsKeyId: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] } });
  });

  test('reaches Secrets Manager over PrivateLink', () => {
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      ServiceName: 'com.amazonaws.eu-west-1.secretsmanager',
      VpcEndpointType: 'Interface',
      PrivateDnsEnabled: true,
    });
  });

  test('opens nothing to the world, in or out', () => {
    expect(JSON.stringify(template.toJSON())).not.toMatch(/0\.0\.0\.0\/0|::\/0/);
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'Interface endpoints (Secrets Manager, Amazon MQ API): HTTPS from the VPC',
      SecurityGroupIngress: [Match.objectLike({ FromPort: 443, ToPort: 443, CidrIp: '10.20.0.0/16' })],
    });
  });
});

describe('MqNetwork endpoint policies and flow log key', () => {
  const stack = new Stack(newApp(), 'Net', { env: { region: 'eu-west-1', account: '123456789012' } });
  new MqNetwork(stack, 'Network', {
    cidr: '10.20.0.0/16',
    availabilityZones: ['eu-west-1a', 'eu-west-1b'],
    mqApiEndpoint: true,
    s3Endpoint: true,
    secretNamePatterns: ['mq-platform/dev/*'],
    brokerNames: ['orders-dev', 'events-dev'],
  });
  const template = Template.fromStack(stack);
  const endpointPolicy = (service: string) =>
    Object.values(template.findResources('AWS::EC2::VPCEndpoint', { Properties: { ServiceName: `com.amazonaws.eu-west-1.${service}` } }))[0]
      .Properties.PolicyDocument;

  test("the Secrets Manager endpoint serves only the environment's secrets, with the actions rotation uses", () => {
    expect(endpointPolicy('secretsmanager').Statement).toEqual([
      {
        Sid: 'EnvironmentSecretsOnly',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: [
          'secretsmanager:DescribeSecret',
          'secretsmanager:GetSecretValue',
          'secretsmanager:PutSecretValue',
          'secretsmanager:UpdateSecretVersionStage',
        ],
        Resource: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:mq-platform/dev/*',
      },
    ]);
  });

  test("the Amazon MQ API endpoint serves only the environment's brokers (arn:…:broker:<name>:<id>)", () => {
    expect(endpointPolicy('mq').Statement).toEqual([
      {
        Sid: 'EnvironmentBrokersOnly',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: ['mq:CreateTags', 'mq:DescribeBroker', 'mq:DescribeUser', 'mq:ListTags', 'mq:RebootBroker', 'mq:UpdateUser'],
        Resource: ['arn:aws:mq:eu-west-1:123456789012:broker:events-dev:*', 'arn:aws:mq:eu-west-1:123456789012:broker:orders-dev:*'],
      },
      // The one action that takes no broker: how the rotation function finds its brokers by name.
      { Sid: 'ListBrokersNamesNoBroker', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'mq:ListBrokers', Resource: '*' },
    ]);
  });

  test("the S3 endpoint passes only custom-resource responses to CloudFormation's bucket of the region (no dashes)", () => {
    expect(endpointPolicy('s3').Statement).toEqual([
      {
        Sid: 'CustomResourceResponsesOnly',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: 's3:PutObject',
        Resource: 'arn:aws:s3:::cloudformation-custom-resource-response-euwest1/*',
      },
    ]);
  });

  test('the flow log key: administration for the account, encryption for CloudWatch Logs and its flow log group only', () => {
    const statements: Array<{ Sid?: string; Effect: string; Action: string | string[]; Condition?: object }> = Object.values(
      template.findResources('AWS::KMS::Key'),
    )[0].Properties.KeyPolicy.Statement;
    const [logGroupId] = Object.keys(template.findResources('AWS::Logs::LogGroup'));
    expect(statements.filter((s) => s.Effect === 'Allow').map((s) => s.Sid)).toEqual([
      'AccountAdministersTheKey',
      'CloudWatchLogsEncryptsLogGroups',
    ]);
    expect(statements.find((s) => s.Sid === 'CloudWatchLogsEncryptsLogGroups')?.Condition).toEqual({
      ArnLike: {
        'kms:EncryptionContext:aws:logs:arn': [
          `arn:aws:logs:eu-west-1:123456789012:log-group:Net-${logGroupId}-*`,
          `arn:aws:logs:eu-west-1:123456789012:log-group:${logGroupId}-*`,
        ],
      },
    });
  });
});

test('MqNetwork without environment names limits its endpoints to the account and region', () => {
  const stack = new Stack(newApp(), 'Net', { env: { region: 'eu-west-1', account: '123456789012' } });
  new MqNetwork(stack, 'Network', { cidr: '10.20.0.0/16', availabilityZones: ['eu-west-1a', 'eu-west-1b'], mqApiEndpoint: true });
  const resources = Object.values(Template.fromStack(stack).findResources('AWS::EC2::VPCEndpoint')).map(
    (e) => e.Properties.PolicyDocument.Statement[0].Resource,
  );
  expect(resources).toEqual(['arn:aws:secretsmanager:eu-west-1:123456789012:secret:*', 'arn:aws:mq:eu-west-1:123456789012:broker:*']);
});

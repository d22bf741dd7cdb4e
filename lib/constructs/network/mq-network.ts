import { ArnFormat, Fn, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { allowCloudWatchLogs, customerManagedKey, secretArnPattern } from '../encryption/customer-managed-key';

export interface MqNetworkProps {
  /** IPv4 CIDR of the VPC, for example "10.20.0.0/16". */
  readonly cidr: string;
  /** Named explicitly so that synth needs no lookup. */
  readonly availabilityZones: readonly string[];
  /** @default 24 */
  readonly subnetCidrMask?: number;
  /** @default logs.RetentionDays.ONE_YEAR */
  readonly flowLogRetention?: logs.RetentionDays;
  /** What a stack deletion does to the flow log group and its key. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * An Amazon MQ API interface endpoint (com.amazonaws.<region>.mq), for code in the VPC that calls
   * the Amazon MQ API: the ActiveMQ credential rotation (UpdateUser, RebootBroker). Source:
   * https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/connect-to-amazonmq.html (PrivateLink).
   * @default false
   */
  readonly mqApiEndpoint?: boolean;
  /**
   * An Amazon S3 interface endpoint (private DNS for every resolver, no gateway endpoint needed),
   * for code in the VPC that answers CloudFormation custom resources: the response goes to a
   * presigned S3 URL. Source: https://docs.aws.amazon.com/AmazonS3/latest/userguide/privatelink-interface-endpoints.html
   * @default false
   */
  readonly s3Endpoint?: boolean;
  /**
   * Names (patterns with a trailing `*`) of the secrets that code in the VPC may use through the
   * Secrets Manager endpoint, for example `mq-platform/dev/*`.
   * @default - every secret of the account and region
   */
  readonly secretNamePatterns?: readonly string[];
  /**
   * Amazon MQ broker names (`<name>-<environment>`) that code in the VPC may call through the
   * Amazon MQ API endpoint. @default - every broker of the account and region
   */
  readonly brokerNames?: readonly string[];
}

/**
 * What the platform calls through the endpoints: the credential rotation function's Secrets
 * Manager steps, and its ActiveMQ user updates, reboots and (issue 10) reboot-lease tags.
 * Endpoint policies: https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html
 */
export const SECRETS_MANAGER_ENDPOINT_ACTIONS = [
  'secretsmanager:DescribeSecret',
  'secretsmanager:GetSecretValue',
  'secretsmanager:PutSecretValue',
  'secretsmanager:UpdateSecretVersionStage',
] as const;
export const MQ_API_ENDPOINT_ACTIONS = [
  'mq:DescribeBroker',
  'mq:DescribeUser',
  'mq:UpdateUser',
  'mq:RebootBroker',
  'mq:CreateTags',
  'mq:ListTags',
] as const;

/**
 * A VPC for brokers: private isolated subnets only (no internet gateway, no NAT), flow logs to an
 * encrypted log group, and a Secrets Manager interface endpoint (plus, when asked, an Amazon MQ
 * API endpoint) so that code in the VPC reaches the broker credentials without leaving it.
 */
export class MqNetwork extends Construct {
  public readonly vpc: ec2.Vpc;
  public readonly secretsManagerEndpoint: ec2.InterfaceVpcEndpoint;
  /** Present when `mqApiEndpoint` is true. */
  public readonly mqApiEndpoint?: ec2.InterfaceVpcEndpoint;
  /** Present when `s3Endpoint` is true. */
  public readonly s3Endpoint?: ec2.InterfaceVpcEndpoint;
  /** Present once `lambdaInterfaceEndpoint()` (or `addLambdaConsumerEndpoints`) was called. */
  public lambdaEndpoint?: ec2.InterfaceVpcEndpoint;
  /** Present once `stsInterfaceEndpoint()` (or `addLambdaConsumerEndpoints`) was called. */
  public stsEndpoint?: ec2.InterfaceVpcEndpoint;
  private lambdaConsumersAdded = false;
  /** The security group of the interface endpoints: HTTPS from the VPC. */
  public readonly endpointSecurityGroup: ec2.SecurityGroup;
  public readonly flowLogGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: MqNetworkProps) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(props.cidr),
      availabilityZones: [...props.availabilityZones],
      natGateways: 0,
      subnetConfiguration: [{ name: 'Brokers', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: props.subnetCidrMask ?? 24 }],
      restrictDefaultSecurityGroup: true,
    });
    const restrictProvider = Stack.of(this).node.tryFindChild('Custom::VpcRestrictDefaultSGCustomResourceProvider');
    if (restrictProvider) {
      Validations.of(restrictProvider).acknowledge({
        id: 'cdk-validator-cfnguard::lambda_inside_vpc_check',
        reason:
          "CDK's deploy-time custom resource that strips every rule from the VPC's default security group: it runs only during deployments, touches no data, and calls the EC2 API, which the isolated subnets cannot reach",
      });
    }

    const key = customerManagedKey(this, 'FlowLogKey', {
      description: 'Encrypts the VPC flow logs of mq-platform',
      removalPolicy,
      serviceUseOnly: true,
    });
    this.flowLogGroup = new logs.LogGroup(this, 'FlowLogGroup', {
      retention: props.flowLogRetention ?? logs.RetentionDays.ONE_YEAR,
      encryptionKey: key,
      removalPolicy,
    });
    allowCloudWatchLogs(key, [this.flowLogGroup]);
    // A managed policy, not CDK's inline default policy (compliance packs flag inline policies).
    const flowLogRole = new iam.Role(this, 'FlowLogRole', {
      assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com'),
      managedPolicies: [
        new iam.ManagedPolicy(this, 'FlowLogPolicy', {
          statements: [
            new iam.PolicyStatement({
              actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
              resources: [this.flowLogGroup.logGroupArn],
            }),
          ],
        }),
      ],
    });
    this.vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(this.flowLogGroup, flowLogRole.withoutPolicyUpdates()),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });

    // HTTPS from inside the VPC only; an endpoint answers and never opens connections.
    const endpointSecurityGroup = (this.endpointSecurityGroup = new ec2.SecurityGroup(this, 'SecretsManagerEndpointSecurityGroup', {
      vpc: this.vpc,
      description: 'Interface endpoints (Secrets Manager, Amazon MQ API): HTTPS from the VPC',
      allowAllOutbound: false,
    }));
    // The literal CIDR, not the VPC's CidrBlock attribute, so that rule checkers can read it.
    endpointSecurityGroup.addIngressRule(ec2.Peer.ipv4(props.cidr), ec2.Port.tcp(443), 'HTTPS from the VPC');
    this.secretsManagerEndpoint = this.vpc.addInterfaceEndpoint('SecretsManagerEndpoint', {
      service: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
      subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      privateDnsEnabled: true,
      securityGroups: [endpointSecurityGroup],
      open: false,
    });
    const stack = Stack.of(this);
    this.secretsManagerEndpoint.addToPolicy(
      new iam.PolicyStatement({
        sid: 'EnvironmentSecretsOnly',
        principals: [new iam.AnyPrincipal()],
        actions: [...SECRETS_MANAGER_ENDPOINT_ACTIONS],
        resources: (props.secretNamePatterns ?? ['*']).map((pattern) => secretArnPattern(stack, pattern)),
      }),
    );
    if (props.mqApiEndpoint) {
      this.mqApiEndpoint = this.vpc.addInterfaceEndpoint('MqApiEndpoint', {
        service: ec2.InterfaceVpcEndpointAwsService.MQ,
        subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
        privateDnsEnabled: true,
        securityGroups: [endpointSecurityGroup],
        open: false,
      });
      // Amazon MQ broker ARNs: arn:<partition>:mq:<region>:<account>:broker:<name>:<id>
      // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonmq.html).
      this.mqApiEndpoint.addToPolicy(
        new iam.PolicyStatement({
          sid: 'EnvironmentBrokersOnly',
          principals: [new iam.AnyPrincipal()],
          actions: [...MQ_API_ENDPOINT_ACTIONS],
          resources: (props.brokerNames ?? ['*']).map((name) =>
            stack.formatArn({
              service: 'mq',
              resource: 'broker',
              resourceName: name === '*' ? '*' : `${name}:*`,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          ),
        }),
      );
      // ListBrokers names no broker (the Service Authorization Reference lists no resource type for
      // it); the rotation function finds its ActiveMQ brokers by name with it.
      this.mqApiEndpoint.addToPolicy(
        new iam.PolicyStatement({
          sid: 'ListBrokersNamesNoBroker',
          principals: [new iam.AnyPrincipal()],
          actions: ['mq:ListBrokers'],
          resources: ['*'],
        }),
      );
    }
    if (props.s3Endpoint) {
      this.s3Endpoint = this.vpc.addInterfaceEndpoint('S3Endpoint', {
        service: ec2.InterfaceVpcEndpointAwsService.S3,
        subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
        privateDnsEnabled: true,
        // Without a gateway endpoint, the VPC's own resolver must answer with the interface endpoint.
        privateDnsOnlyForInboundResolverEndpoint: ec2.VpcEndpointPrivateDnsOnlyForInboundResolverEndpoint.ALL_RESOLVERS,
        securityGroups: [endpointSecurityGroup],
        open: false,
      });
      // Only the custom-resource responses pass: CloudFormation's response bucket of the region, whose
      // name drops the region's dashes (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cfn-vpce-bucketnames.html).
      const regionWithoutDashes = Token.isUnresolved(stack.region)
        ? Fn.join('', Fn.split('-', stack.region))
        : stack.region.replace(/-/g, '');
      this.s3Endpoint.addToPolicy(
        new iam.PolicyStatement({
          sid: 'CustomResourceResponsesOnly',
          principals: [new iam.AnyPrincipal()],
          actions: ['s3:PutObject'],
          resources: [
            stack.formatArn({
              service: 's3',
              region: '',
              account: '',
              resource: `cloudformation-custom-resource-response-${regionWithoutDashes}`,
              resourceName: '*',
            }),
          ],
        }),
      );
    }
  }

  /**
   * The VPC's STS interface endpoint (private DNS), created on first use: one per VPC, whoever needs
   * STS in it (Lambda consumers' pollers, clients asking for web identity tokens) adds statements
   * with `addToPolicy`. Call it only when you add one; without a statement it would allow everything.
   */
  public stsInterfaceEndpoint(): ec2.InterfaceVpcEndpoint {
    return (this.stsEndpoint ??= this.interfaceEndpoint('StsEndpoint', ec2.InterfaceVpcEndpointAwsService.STS));
  }

  /** The VPC's Lambda interface endpoint (private DNS), created on first use; same contract as `stsInterfaceEndpoint`. */
  public lambdaInterfaceEndpoint(): ec2.InterfaceVpcEndpoint {
    return (this.lambdaEndpoint ??= this.interfaceEndpoint('LambdaEndpoint', ec2.InterfaceVpcEndpointAwsService.LAMBDA));
  }

  /**
   * Endpoints for Lambda functions consuming broker queues (event source mappings): Lambda's pollers
   * run in the broker subnets with the broker's security group and call Lambda, STS and Secrets
   * Manager from there, so the VPC gets Lambda and STS interface endpoints (Secrets Manager's is
   * already here) whose policies allow them only invoking these functions and assuming these roles.
   * Call it once, only for an environment with consumers. Source:
   * https://docs.aws.amazon.com/lambda/latest/dg/process-mq-messages-with-lambda.html (network).
   */
  public addLambdaConsumerEndpoints(consumers: { readonly functionArns: readonly string[]; readonly roleArns: readonly string[] }): void {
    if (this.lambdaConsumersAdded) throw new Error(`${this.node.path}: addLambdaConsumerEndpoints was already called`);
    this.lambdaConsumersAdded = true;
    // The pollers invoke the consumer functions (any version or alias of them), nothing else.
    const unqualified = (arn: string) => (Token.isUnresolved(arn) ? arn : arn.split(':').slice(0, 7).join(':'));
    const functions = [...new Set(consumers.functionArns.map(unqualified))];
    this.lambdaInterfaceEndpoint().addToPolicy(
      new iam.PolicyStatement({
        sid: 'InvokeTheConsumerFunctionsOnly',
        principals: [new iam.AnyPrincipal()],
        actions: ['lambda:InvokeFunction'],
        resources: functions.flatMap((f) => [f, `${f}:*`]),
      }),
    );
    // Lambda assumes the consumer functions' execution roles.
    this.stsInterfaceEndpoint().addToPolicy(
      new iam.PolicyStatement({
        sid: 'AssumeTheConsumerRolesOnly',
        principals: [new iam.AnyPrincipal()],
        actions: ['sts:AssumeRole'],
        resources: [...new Set(consumers.roleArns)],
      }),
    );
  }

  private interfaceEndpoint(id: string, service: ec2.InterfaceVpcEndpointAwsService): ec2.InterfaceVpcEndpoint {
    return this.vpc.addInterfaceEndpoint(id, {
      service,
      subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      privateDnsEnabled: true,
      securityGroups: [this.endpointSecurityGroup],
      open: false,
    });
  }
}

import { Stack, type StackProps } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { MqNetwork } from '../constructs/network/mq-network';

export interface NetworkStackProps extends StackProps {
  readonly cidr: string;
  readonly availabilityZones: readonly string[];
  /** @default 24 */
  readonly subnetCidrMask?: number;
  /** @default logs.RetentionDays.ONE_YEAR */
  readonly flowLogRetention?: logs.RetentionDays;
  /** @default false */
  readonly mqApiEndpoint?: boolean;
  /** @default false */
  readonly s3Endpoint?: boolean;
  /** Secret name patterns the Secrets Manager endpoint serves. @default - every secret of the account and region */
  readonly secretNamePatterns?: readonly string[];
  /** Broker names the Amazon MQ API endpoint serves. @default - every broker of the account and region */
  readonly brokerNames?: readonly string[];
}

/** The environment's VPC, when mq-platform creates it. */
export class NetworkStack extends Stack {
  public readonly network: MqNetwork;
  private configuredZones?: string[];

  constructor(scope: Construct, id: string, props: NetworkStackProps) {
    super(scope, id, props);
    this.configuredZones = [...props.availabilityZones];
    this.network = new MqNetwork(this, 'Network', props);
  }

  /**
   * The config's zones: with an explicit account (a pipeline stage) CDK would otherwise look the
   * Region's zones up in the account at synth, which is neither offline nor deterministic.
   */
  public override get availabilityZones(): string[] {
    if (!this.configuredZones) return super.availabilityZones;
    // What Stack does when its zones are read: literal zones are expected here.
    (this as unknown as { _silenceLiteralAzWarning(): void })._silenceLiteralAzWarning();
    return this.configuredZones;
  }
}

import { Fn, Resource } from 'aws-cdk-lib';
import * as amazonmq from 'aws-cdk-lib/aws-amazonmq';
import { Construct } from 'constructs';
import type { Engine } from '../../amazonmq/engines';

export interface BrokerConfigurationProps {
  /** Configuration name (1 to 150 of A-Z a-z 0-9 - . _ ~); see brokerConfigurationName. */
  readonly configurationName: string;
  readonly engine: Engine;
  /** major.minor, as the broker's. */
  readonly engineVersion: string;
  /** The configuration text: rabbitmq.conf, or the ActiveMQ `<broker>` XML document. Stored base64-encoded. */
  readonly data: string;
  /**
   * The broker's authentication strategy (SIMPLE, LDAP, CONFIG_MANAGED): a configuration serves
   * brokers of its own strategy. Changing it replaces the configuration.
   * @default 'SIMPLE'
   */
  readonly authenticationStrategy?: string;
  /** @default - "mq-platform configuration of <configurationName>" */
  readonly description?: string;
}

/**
 * The configuration name of a broker: its name, engine version and (other than SIMPLE)
 * authentication strategy. Changing the version or strategy replaces the configuration
 * (CloudFormation: EngineVersion, AuthenticationStrategy), and the new one gets a new name, so it
 * never clashes with the one it replaces while both exist.
 */
export function brokerConfigurationName(brokerName: string, engineVersion: string, authenticationStrategy = 'SIMPLE'): string {
  const strategy = authenticationStrategy === 'SIMPLE' ? '' : `-${authenticationStrategy.toLowerCase()}`;
  return `${brokerName}-${engineVersion}${strategy}`;
}

/** A broker configuration defined here or elsewhere: what a broker's association needs. */
export interface IBrokerConfiguration {
  /** Configuration id, for example `c-1234a5b6-78cd-901e-2fgh-3i45j6k178l9`. @attribute */
  readonly configurationId: string;
  /** The latest revision (a number token); a change of `data` makes a new one. @attribute */
  readonly revision: number;
}

/**
 * An Amazon MQ configuration (AWS::AmazonMQ::Configuration). CloudFormation updates it in place
 * when its data changes, which adds a revision; brokers associated with `revision` move to the new
 * one and apply it at their next reboot or maintenance window.
 */
export class BrokerConfiguration extends Resource implements IBrokerConfiguration {
  public readonly configurationId: string;
  public readonly revision: number;
  public readonly configurationArn: string;
  public readonly resource: amazonmq.CfnConfiguration;

  constructor(scope: Construct, id: string, props: BrokerConfigurationProps) {
    super(scope, id, { physicalName: props.configurationName });
    this.resource = new amazonmq.CfnConfiguration(this, 'Resource', {
      name: props.configurationName,
      engineType: props.engine,
      engineVersion: props.engineVersion,
      authenticationStrategy: props.authenticationStrategy ?? 'SIMPLE',
      description: props.description ?? `mq-platform configuration of ${props.configurationName}`,
      data: Fn.base64(props.data),
    });
    this.configurationId = this.resource.attrId;
    this.revision = this.resource.attrRevision;
    this.configurationArn = this.resource.attrArn;
  }
}

import type { CfnResource, IPolicyValidationContext, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { NagMessageLevel, NagPack, type NagPackProps, type NagRuleResult } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import mq2 from './rules/mq2-activemq-audit-logs';
import mq3 from './rules/mq3-auto-minor-version-upgrade';
import { mq4Tagged } from './rules/mq4-tagged';
import { mq5ActiveStandby } from './rules/mq5-activemq-active-standby';
import { mq6Cluster } from './rules/mq6-rabbitmq-cluster';
import mqp1 from './rules/mqp1-no-public-access';
import mqp2 from './rules/mqp2-customer-managed-key';
import mqp3 from './rules/mqp3-no-plaintext-password';
import mqp4 from './rules/mqp4-general-logs';
import mqp5 from './rules/mqp5-no-world-ingress';
import mqp6 from './rules/mqp6-maintenance-window';
import { mqp7PasswordAuthentication } from './rules/mqp7-rabbitmq-password-authentication';

export interface AmazonMqChecksProps extends NagPackProps {
  /** A production environment: findings are errors that fail synth, and MQ.5/MQ.6 apply. @default false - findings are warnings */
  readonly production?: boolean;
  /** Tag keys every broker must carry (MQ.4). @default - at least one tag */
  readonly requiredTagKeys?: readonly string[];
  /**
   * The config field that causes a rule's finding on a resource (rule ids read `AmazonMQ-MQ.6`),
   * added to the finding so that the user knows what to change or acknowledge.
   * @default - findings name the resource only
   */
  readonly configPath?: (resource: CfnResource, rule: string) => string | undefined;
}

interface RuleSpec {
  readonly rule: (node: CfnResource) => NagRuleResult;
  readonly info: string;
  readonly explanation: string;
  /** @default the pack's level (errors in production, warnings elsewhere) */
  readonly level?: NagMessageLevel;
}

/**
 * mq-platform's Amazon MQ rule pack: Security Hub's MQ controls (MQ.2-MQ.6, which include Control
 * Tower's CT.MQ.PR.1/2) and our own MQP rules, checked at synth. Rule ids read `AmazonMQ-MQ.6`.
 */
export class AmazonMqChecks extends NagPack {
  public readonly name = 'AmazonMQ';
  private readonly level: NagMessageLevel;
  private readonly specs: readonly RuleSpec[];
  private readonly configPath?: AmazonMqChecksProps['configPath'];

  constructor(scope?: IConstruct, props: AmazonMqChecksProps = {}) {
    super(scope, props);
    this.configPath = props.configPath;
    this.packName = 'AmazonMQ';
    this.level = props.production ? NagMessageLevel.ERROR : NagMessageLevel.WARN;
    this.specs = [
      {
        rule: mq2,
        info: 'MQ.2: the ActiveMQ broker does not stream audit logs to CloudWatch.',
        explanation: 'Audit logs record who changed what through JMX and the web console. Set logs.audit (default true).',
      },
      {
        rule: mq3,
        info: 'MQ.3: the broker does not upgrade minor versions automatically.',
        explanation: 'Amazon MQ requires it for ActiveMQ 5.18+ and RabbitMQ 3.13+; it brings security patches.',
      },
      {
        rule: mq4Tagged(props.requiredTagKeys ?? []),
        info: `MQ.4: the broker lacks required tags${props.requiredTagKeys?.length ? ` (${props.requiredTagKeys.join(', ')})` : ''}.`,
        explanation: 'Tags attribute cost and ownership. Add them to the environment or broker tags in the config.',
      },
      {
        rule: mq5ActiveStandby(props.production ?? false),
        info: 'MQ.5 (CT.MQ.PR.1): the production ActiveMQ broker is not ACTIVE_STANDBY_MULTI_AZ.',
        explanation: 'A single instance is down during maintenance and lost with its availability zone.',
      },
      {
        rule: mq6Cluster(props.production ?? false),
        info: 'MQ.6 (CT.MQ.PR.2): the production RabbitMQ broker is not CLUSTER_MULTI_AZ.',
        explanation: 'A single instance is down during maintenance and lost with its availability zone.',
      },
      {
        rule: mqp1,
        info: 'MQP.1: the broker is publicly accessible.',
        explanation: 'Brokers belong in private subnets, reachable only from named clients.',
      },
      {
        rule: mqp2,
        info: 'MQP.2: the broker is not encrypted with a customer-managed KMS key.',
        explanation: 'A customer-managed key lets you control, audit and revoke access to the data at rest.',
      },
      {
        rule: mqp3,
        info: 'MQP.3: a broker user password is not a Secrets Manager dynamic reference.',
        explanation: 'A literal password ends up in the template, the stack and every snapshot.',
      },
      {
        rule: mqp4,
        info: 'MQP.4: the broker does not stream general logs to CloudWatch.',
        explanation: 'General logs are the first thing to read when clients cannot connect.',
      },
      {
        rule: mqp5,
        info: 'MQP.5: a security group opens an Amazon MQ port to 0.0.0.0/0 or ::/0.',
        explanation: 'Open broker ports invite credential stuffing; name the clients instead.',
      },
      {
        rule: mqp6,
        info: 'MQP.6: the broker has no maintenance window.',
        explanation: 'Without one, Amazon MQ patches and reboots at a time of its choosing.',
      },
      {
        rule: mqp7PasswordAuthentication(props.production ?? false),
        info: 'MQP.7: the production RabbitMQ broker authenticates with passwords (SIMPLE).',
        explanation:
          'IAM or OAuth 2.0 authentication (authentication.strategy "iam" or "oauth2") leaves no broker password to leak or rotate. A warning: passwords stay allowed.',
        level: NagMessageLevel.WARN,
      },
    ];
  }

  /**
   * Only errors fail synth: outside production every finding is a warning, and in production the
   * warning-level rules (MQP.7) are reported without failing it.
   */
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    return this.failOnErrorsOnly(super.validate(context));
  }

  public validateScope(scope: IConstruct): PolicyValidationPluginReport {
    return this.failOnErrorsOnly(super.validateScope(scope));
  }

  private failOnErrorsOnly(report: PolicyValidationPluginReport): PolicyValidationPluginReport {
    return { ...report, success: report.violations.every((v) => v.severity === 'warning') };
  }

  protected checkResource(node: CfnResource): void {
    for (const spec of this.specs) {
      const field = this.configPath?.(node, `${this.packName}-${spec.rule.name}`);
      const info = field ? `${spec.info} Config: ${field} (or accept it in compliance.acknowledge with a reason).` : spec.info;
      this.applyRule({ ...spec, info, level: spec.level ?? this.level, node, ruleSuffixOverride: spec.rule.name });
    }
  }
}

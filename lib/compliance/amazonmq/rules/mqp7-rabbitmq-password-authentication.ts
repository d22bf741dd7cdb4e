import { CfnBroker } from 'aws-cdk-lib/aws-amazonmq';
import type { CfnResource } from 'aws-cdk-lib';
import type { NagRuleResult } from 'cdk-nag';
import { COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE, namedRule, resolved } from './helpers';

/**
 * MQP.7 (a warning, also in production): a production RabbitMQ broker that authenticates with
 * passwords (strategy SIMPLE) could use IAM or OAuth 2.0 instead, with no broker password to leak
 * or rotate. https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/rabbitmq-authentication.html
 */
export function mqp7PasswordAuthentication(production: boolean): (node: CfnResource) => NagRuleResult {
  return namedRule('MQP.7', (node) => {
    if (!production || !(node instanceof CfnBroker) || resolved(node, node.engineType) !== 'RABBITMQ') return NOT_APPLICABLE;
    return (resolved(node, node.authenticationStrategy) ?? 'SIMPLE') === 'SIMPLE' ? NON_COMPLIANT : COMPLIANT;
  });
}

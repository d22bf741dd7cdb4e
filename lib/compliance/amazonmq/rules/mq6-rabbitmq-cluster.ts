import { CfnBroker } from 'aws-cdk-lib/aws-amazonmq';
import type { CfnResource } from 'aws-cdk-lib';
import type { NagRuleResult } from 'cdk-nag';
import { COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE, namedRule, resolved } from './helpers';

/**
 * MQ.6 (Control Tower CT.MQ.PR.2): production RabbitMQ brokers run as a cluster.
 * https://docs.aws.amazon.com/securityhub/latest/userguide/mq-controls.html#mq-6
 */
export function mq6Cluster(production: boolean): (node: CfnResource) => NagRuleResult {
  return namedRule('MQ.6', (node) => {
    if (!production || !(node instanceof CfnBroker) || resolved(node, node.engineType) !== 'RABBITMQ') return NOT_APPLICABLE;
    return resolved(node, node.deploymentMode) === 'CLUSTER_MULTI_AZ' ? COMPLIANT : NON_COMPLIANT;
  });
}

import { CfnBroker } from 'aws-cdk-lib/aws-amazonmq';
import type { CfnResource } from 'aws-cdk-lib';
import type { NagRuleResult } from 'cdk-nag';
import { COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE, namedRule, resolved } from './helpers';

/**
 * MQ.5 (Control Tower CT.MQ.PR.1): production ActiveMQ brokers run active/standby.
 * https://docs.aws.amazon.com/securityhub/latest/userguide/mq-controls.html#mq-5
 */
export function mq5ActiveStandby(production: boolean): (node: CfnResource) => NagRuleResult {
  return namedRule('MQ.5', (node) => {
    if (!production || !(node instanceof CfnBroker) || resolved(node, node.engineType) !== 'ACTIVEMQ') return NOT_APPLICABLE;
    return resolved(node, node.deploymentMode) === 'ACTIVE_STANDBY_MULTI_AZ' ? COMPLIANT : NON_COMPLIANT;
  });
}

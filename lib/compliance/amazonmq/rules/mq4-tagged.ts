import { CfnBroker } from 'aws-cdk-lib/aws-amazonmq';
import type { CfnResource } from 'aws-cdk-lib';
import type { NagRuleResult } from 'cdk-nag';
import { COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE, namedRule, resolved } from './helpers';

/**
 * MQ.4: brokers carry the required tag keys; with none required, at least one user tag.
 * https://docs.aws.amazon.com/securityhub/latest/userguide/mq-controls.html#mq-4
 */
export function mq4Tagged(requiredTagKeys: readonly string[]): (node: CfnResource) => NagRuleResult {
  return namedRule('MQ.4', (node) => {
    if (!(node instanceof CfnBroker)) return NOT_APPLICABLE;
    const keys = ((resolved(node, node.tags.renderTags()) ?? []) as Array<{ key: string }>).map((t) => t.key);
    if (requiredTagKeys.length === 0) return keys.some((k) => !k.startsWith('aws:')) ? COMPLIANT : NON_COMPLIANT;
    return requiredTagKeys.every((k) => keys.includes(k)) ? COMPLIANT : NON_COMPLIANT;
  });
}

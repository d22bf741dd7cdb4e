import { CfnBroker } from 'aws-cdk-lib/aws-amazonmq';
import { COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE, namedRule, resolved } from './helpers';

/** MQP.1: brokers are not publicly accessible (AWS Config rule mq-no-public-access). */
export default namedRule('MQP.1', (node) => {
  if (!(node instanceof CfnBroker)) return NOT_APPLICABLE;
  return resolved(node, node.publiclyAccessible) === false ? COMPLIANT : NON_COMPLIANT;
});

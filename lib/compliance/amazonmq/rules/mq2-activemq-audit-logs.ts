import { CfnBroker } from 'aws-cdk-lib/aws-amazonmq';
import { COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE, namedRule, resolved } from './helpers';

/**
 * MQ.2: ActiveMQ brokers stream audit logs to CloudWatch.
 * https://docs.aws.amazon.com/securityhub/latest/userguide/mq-controls.html#mq-2
 */
export default namedRule('MQ.2', (node) => {
  if (!(node instanceof CfnBroker) || resolved(node, node.engineType) !== 'ACTIVEMQ') return NOT_APPLICABLE;
  return resolved(node, node.logs)?.audit === true ? COMPLIANT : NON_COMPLIANT;
});

import { CfnBroker } from 'aws-cdk-lib/aws-amazonmq';
import { COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE, namedRule, resolved } from './helpers';

/**
 * MQ.3: brokers have automatic minor version upgrade on (required by Amazon MQ itself for
 * ActiveMQ 5.18+ and RabbitMQ 3.13+). https://docs.aws.amazon.com/securityhub/latest/userguide/mq-controls.html#mq-3
 */
export default namedRule('MQ.3', (node) => {
  if (!(node instanceof CfnBroker)) return NOT_APPLICABLE;
  return resolved(node, node.autoMinorVersionUpgrade) === true ? COMPLIANT : NON_COMPLIANT;
});

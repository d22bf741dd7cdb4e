import { CfnBroker } from 'aws-cdk-lib/aws-amazonmq';
import { COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE, namedRule, resolved } from './helpers';

/** MQP.4: brokers stream general logs to CloudWatch (AWS Config rule mq-cloudwatch-audit-logging-enabled covers audit). */
export default namedRule('MQP.4', (node) => {
  if (!(node instanceof CfnBroker)) return NOT_APPLICABLE;
  return resolved(node, node.logs)?.general === true ? COMPLIANT : NON_COMPLIANT;
});

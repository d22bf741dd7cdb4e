import { CfnBroker } from 'aws-cdk-lib/aws-amazonmq';
import { COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE, namedRule, resolved } from './helpers';

/** MQP.6: brokers have an explicit maintenance window, so patches land when the team expects them. */
export default namedRule('MQP.6', (node) => {
  if (!(node instanceof CfnBroker)) return NOT_APPLICABLE;
  const w = resolved(node, node.maintenanceWindowStartTime);
  return w?.dayOfWeek && w?.timeOfDay ? COMPLIANT : NON_COMPLIANT;
});

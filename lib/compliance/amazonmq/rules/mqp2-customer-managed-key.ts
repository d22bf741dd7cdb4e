import { CfnBroker } from 'aws-cdk-lib/aws-amazonmq';
import { COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE, namedRule, resolved } from './helpers';

/** MQP.2: broker storage is encrypted with a customer-managed KMS key, not an AWS-owned one. */
export default namedRule('MQP.2', (node) => {
  if (!(node instanceof CfnBroker)) return NOT_APPLICABLE;
  const enc = resolved(node, node.encryptionOptions);
  return enc?.useAwsOwnedKey === false && enc?.kmsKeyId !== undefined ? COMPLIANT : NON_COMPLIANT;
});

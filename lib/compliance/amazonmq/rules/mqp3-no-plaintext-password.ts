import { CfnBroker } from 'aws-cdk-lib/aws-amazonmq';
import { COMPLIANT, NON_COMPLIANT, NOT_APPLICABLE, namedRule, resolved } from './helpers';

/**
 * MQP.3: every broker user's password is a Secrets Manager dynamic reference
 * (`{{resolve:secretsmanager:...}}`), never a literal in the template.
 */
export default namedRule('MQP.3', (node) => {
  if (!(node instanceof CfnBroker)) return NOT_APPLICABLE;
  const users = (resolved(node, node.users) ?? []) as Array<{ password?: unknown }>;
  // IAM/OAuth 2.0 (CONFIG_MANAGED) or LDAP without broker users: no broker password to check or rotate.
  if (users.length === 0 && resolved(node, node.authenticationStrategy) !== 'SIMPLE') return NOT_APPLICABLE;
  const dynamic = (p: unknown) => JSON.stringify(p ?? '').includes('{{resolve:secretsmanager:');
  return users.every((u) => dynamic(u.password)) ? COMPLIANT : NON_COMPLIANT;
});

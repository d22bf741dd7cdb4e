import { Annotations, CfnOutput, Tags, type Stack } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { ResolvedBroker } from '../config/resolve';
import * as names from '../contract/names';
import { TAG_KEYS } from '../contract/tags';
import type { MqBroker } from '../constructs/broker/mq-broker';
import type { MqBrokerLdap } from '../constructs/broker/ldap-server';

/** The broker's LDAP settings as MqBroker props, when its strategy is "ldap" (referenced secrets imported by ARN, no lookup). */
export function ldapBrokerProps(scope: Construct, b: ResolvedBroker): MqBrokerLdap | undefined {
  if (b.authentication.strategy !== 'ldap') return undefined;
  const l = b.authentication.ldap;
  const sa = l.serviceAccount;
  return {
    hosts: l.hosts,
    serviceAccountUsername: sa.username,
    serviceAccountSecret: sa.passwordSecretArn
      ? secretsmanager.Secret.fromSecretCompleteArn(scope, `${b.name}LdapServiceAccountSecret`, sa.passwordSecretArn)
      : undefined,
    serviceAccountPasswordKey: sa.passwordKey,
    serviceAccountReaders: sa.readers,
    userBase: l.userBase,
    userSearchMatching: l.userSearchMatching,
    userSearchSubtree: l.userSearchSubtree,
    userRoleName: l.userRoleName,
    roleBase: l.roleBase,
    roleSearchMatching: l.roleSearchMatching,
    roleSearchSubtree: l.roleSearchSubtree,
    roleName: l.roleName,
  };
}

/**
 * An LDAP broker after construction: tags (the generated service-account secret's kind, the
 * application secret the CLI reads), outputs, and synth's note that nothing rotates. Returns
 * false for other brokers, which the caller hands to credential rotation.
 */
export function completeLdapBroker(stack: Stack, b: ResolvedBroker, broker: MqBroker): boolean {
  if (b.authentication.strategy !== 'ldap') return false;
  const l = b.authentication.ldap;
  const prefix = names.outputIdPrefix(b.name);
  const generated = broker.ldapServiceAccountCredentials;
  if (generated) {
    Tags.of(generated).add(TAG_KEYS.username, generated.username);
    Tags.of(generated).add(TAG_KEYS.secretKind, 'ldap-service-account');
  }
  if (l.applicationSecretArn) {
    Tags.of(broker.resource).add(TAG_KEYS.applicationSecret, l.applicationSecretArn);
    new CfnOutput(stack, `${prefix}SecretArn`, {
      value: l.applicationSecretArn,
      description: `Secrets Manager secret of the directory user applications use on ${b.brokerName} (LDAP; referenced, not managed here)`,
    });
  }
  new CfnOutput(stack, `${prefix}LdapServiceAccountSecretArn`, {
    value: broker.ldapServiceAccountSecret!.secretArn,
    description: `Secrets Manager secret of the LDAP service account ${l.serviceAccount.username} of ${b.brokerName} (${generated ? 'generated: set it on the service account in the directory' : 'referenced'})`,
  });
  Annotations.of(broker).addInfo(
    `brokers: "${b.name}" authenticates against LDAP (${l.hosts.join(', ')}): it has no broker users, so the platform creates no user secrets and rotates nothing on it; rotate the service account's and the applications' passwords in the directory, then in their secrets (the broker reads the service account's at the next deploy)`,
  );
  return true;
}

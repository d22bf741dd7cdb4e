/**
 * The platform's stateful rules: which resource types hold state that a replacement or a deletion
 * loses, and what a reviewer is told is lost. Whether a change replaces a resource is not ours to
 * tabulate: @aws-cdk/cloudformation-diff reads it from the CloudFormation resource specification
 * (lib/review/template-diff.ts).
 */

export interface StatefulFacts {
  /** A short noun, e.g. "broker". */
  readonly noun: string;
  /** What is lost when it is deleted and recreated, e.g. "messages on it are lost and its endpoints change". */
  readonly loss: string;
}

/** Stateful types, guarded in protected environments. */
export const STATEFUL_TYPES: Readonly<Record<string, StatefulFacts>> = {
  'AWS::AmazonMQ::Broker': { noun: 'broker', loss: 'messages on it are lost to its clients, its endpoints and broker id change' },
  'AWS::KMS::Key': {
    noun: 'KMS key',
    loss: 'data encrypted with it (the broker storage, the secrets) can no longer be decrypted once the old key is deleted',
  },
  'AWS::SecretsManager::Secret': { noun: 'secret', loss: 'a new password is generated and clients holding the old secret ARN break' },
  'AWS::EC2::VPC': { noun: 'VPC', loss: 'everything in it (subnets, brokers, endpoints) has to be recreated' },
  'AWS::EC2::Subnet': { noun: 'subnet', loss: 'brokers in it are replaced (their SubnetIds change)' },
  'AWS::Logs::LogGroup': { noun: 'log group', loss: 'the logs kept in it are deleted with the old group' },
};

/** What a replacement or deletion of a resource of this type loses; undefined for stateless types. */
export function statefulFacts(type: string): StatefulFacts | undefined {
  return STATEFUL_TYPES[type];
}

export function isStateful(type: string): boolean {
  return statefulFacts(type) !== undefined;
}

/**
 * Lock-out changes: in-place updates (CloudFormation keeps the resource) that change what clients
 * must present, or whether they can read it. The review and the guard treat them like
 * replacements. Keyed by resource type, never by name: every secret of the platform (application,
 * administrator, broker-user) is covered.
 */
export interface LockOutRule {
  readonly type: string;
  readonly property: string;
  /** When the change locks clients out (default: any change of the property). */
  readonly when?: (before: unknown, after: unknown) => boolean;
  /** What happens, completed with the broker, e.g. "every client of broker orders ...". */
  readonly effect: (clientsOf: string) => string;
  /** Where the behaviour is documented. */
  readonly source: string;
}

const REGENERATES = 'https://github.com/aws-cloudformation/cloudformation-coverage-roadmap/issues/2210 (also #1161; aws-cdk #19985)';

export const LOCK_OUT_RULES: readonly LockOutRule[] = [
  {
    type: 'AWS::SecretsManager::Secret',
    property: 'GenerateSecretString',
    effect: (clients) =>
      `CloudFormation generates a new secret value while the broker keeps the old password: every client of ${clients} is refused once it re-reads its secret, until the broker user gets the new password`,
    source: REGENERATES,
  },
  {
    type: 'AWS::SecretsManager::Secret',
    property: 'SecretString',
    effect: (clients) =>
      `the secret value is overwritten while the broker keeps the old password: every client of ${clients} is refused once it re-reads its secret`,
    source: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-secretsmanager-secret.html',
  },
  {
    type: 'AWS::SecretsManager::Secret',
    property: 'KmsKeyId',
    effect: (clients) =>
      `the secret is re-encrypted under another key: every reader without kms:Decrypt on the new key (clients of ${clients}, the rotation function) is refused the secret until its policies name the new key`,
    source: 'https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html',
  },
  {
    type: 'AWS::KMS::Key',
    property: 'Enabled',
    when: (_before, after) => after === false,
    effect: (clients) =>
      `the key is disabled: nothing encrypted with it can be decrypted; every client of ${clients} is refused its secret and the broker its storage`,
    source: 'https://docs.aws.amazon.com/kms/latest/developerguide/enabling-keys.html',
  },
  {
    type: 'AWS::KMS::Key',
    property: 'PendingWindowInDays',
    effect: (clients) =>
      `changes how soon a deleted key is gone for good (and every client of ${clients} with it): the window to cancel its deletion`,
    source: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-kms-key.html',
  },
  {
    type: 'AWS::AmazonMQ::Broker',
    property: 'Users',
    when: (before, after) => usersLockedOut(before, after).length > 0,
    effect: (clients) =>
      `a broker user is removed or gets another password: its clients of ${clients} are refused until they re-read their secret`,
    source: 'https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/amazon-mq-editing-managing-users.html',
  },
  {
    // CloudFormation replaces the broker for this property (its resource specification); Amazon
    // MQ itself switches a deployed RabbitMQ broker in place (UpdateBroker, with the IAM permission
    // mq:UpdateBrokerAccessConfiguration), outside any stack.
    type: 'AWS::AmazonMQ::Broker',
    property: 'AuthenticationStrategy',
    effect: (clients) =>
      `clients change how they log in (passwords, tokens or a directory): every client of ${clients} that still presents the old kind of credentials is refused. To keep the broker, switch it in place with Amazon MQ's UpdateBroker (IAM permission mq:UpdateBrokerAccessConfiguration) and its configuration first, then deploy the config with the new strategy`,
    source: 'https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/oauth-for-amq-for-rabbitmq.html',
  },
  {
    type: 'AWS::AmazonMQ::Broker',
    property: 'LdapServerMetadata',
    effect: (clients) =>
      `the broker authenticates against another LDAP setup: every client of ${clients} whose credentials the new directory does not accept is refused`,
    source: 'https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/security-authentication-authorization.html',
  },
  {
    // CloudFormation's resource specification marks no replacement, but UpdateBroker has no such field:
    // the primary of a CRDR replica is set at CreateBroker only.
    type: 'AWS::AmazonMQ::Broker',
    property: 'DataReplicationPrimaryBrokerArn',
    effect: (clients) =>
      `the replica's primary broker is settable only at creation (CreateBroker; UpdateBroker has no such field): the update fails or leaves ${clients} replicating from its old primary; pair anew (unpair, reboot, delete and recreate the replica)`,
    source: 'https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/create-replica-broker.html',
  },
  {
    type: 'AWS::AmazonMQ::Broker',
    property: 'DataReplicationMode',
    when: (before, after) => before === 'CRDR' && after !== 'CRDR',
    effect: (clients) =>
      `${clients} leaves its cross-Region data replication pair (unpaired at the next reboot): nothing is replicated any more and promote has no counterpart`,
    source: 'https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/delete-crdr-broker.html',
  },
];

/** The lock-out a property change causes, or undefined. */
export function lockOutRule(type: string, property: string, before: unknown, after: unknown): LockOutRule | undefined {
  return LOCK_OUT_RULES.find((r) => r.type === type && r.property === property && (r.when ? r.when(before, after) : true));
}

/** Usernames of `Users` that are removed or whose password (its text or reference) changes. */
export function usersLockedOut(before: unknown, after: unknown): string[] {
  const byName = (v: unknown) =>
    new Map(
      (Array.isArray(v) ? v : []).map((u: { Username?: unknown; Password?: unknown }) => [
        String(u?.Username),
        JSON.stringify(u?.Password),
      ]),
    );
  const a = byName(before);
  const b = byName(after);
  return [...a].filter(([name, password]) => !b.has(name) || b.get(name) !== password).map(([name]) => name);
}

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

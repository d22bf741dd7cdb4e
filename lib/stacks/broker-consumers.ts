import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import type { ResolvedConsumer } from '../config/resolve-consumers';
import type { MqBroker } from '../constructs/broker/mq-broker';
import type { MqConsumer } from '../constructs/consumers/mq-consumer';

/**
 * The plan's consumers of a broker, each an existing function imported by name or ARN with its
 * execution role (no lookup at synth), consuming through `MqBroker.addConsumer`.
 */
export function addPlannedConsumers(
  broker: MqBroker,
  consumers: readonly ResolvedConsumer[],
  endpointSecurityGroups: readonly ec2.ISecurityGroup[] | undefined,
  credentialRotation?: Construct,
): MqConsumer[] {
  return consumers.map((c) => {
    const consumer = addConsumer(broker, c, endpointSecurityGroups);
    // RabbitMQ: the pair's users (and, before them, the definitions' vhosts) exist only once the
    // rotation's custom resource made them (id `RabbitMqUser-<broker>-<username>`); a mapping
    // created earlier would fail its first login, and Lambda stops a consumer on an authentication error.
    const users = credentialRotation?.node.tryFindChild(`RabbitMqUser-${broker.node.id}-${c.user}`);
    if (users) consumer.mapping.node.addDependency(users);
    return consumer;
  });
}

function addConsumer(broker: MqBroker, c: ResolvedConsumer, endpointSecurityGroups: readonly ec2.ISecurityGroup[] | undefined): MqConsumer {
  const role = iam.Role.fromRoleArn(broker, `ConsumerRole-${c.name}`, c.roleArn, { mutable: true });
  const fn = lambda.Function.fromFunctionAttributes(broker, `ConsumerFunction-${c.name}`, {
    functionArn: consumerFunctionArn(Stack.of(broker), c),
    role,
    sameEnvironment: true,
  });
  return broker.addConsumer(fn, {
    id: `Consumer-${c.name}`,
    queue: c.queue,
    virtualHost: c.virtualHost,
    user: c.user,
    batchSize: c.batchSize,
    maxBatchingWindow: c.maximumBatchingWindowSeconds !== undefined ? Duration.seconds(c.maximumBatchingWindowSeconds) : undefined,
    enabled: c.enabled,
    endpointSecurityGroups,
  });
}

/** The consumer's function ARN: as given, or the named function of the stack's account and region. */
export function consumerFunctionArn(stack: Stack, c: Pick<ResolvedConsumer, 'functionArn' | 'functionName'>): string {
  return (
    c.functionArn ??
    stack.formatArn({ service: 'lambda', resource: 'function', resourceName: c.functionName, arnFormat: ArnFormat.COLON_RESOURCE_NAME })
  );
}

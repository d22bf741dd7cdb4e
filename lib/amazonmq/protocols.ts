import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { PROTOCOL_PORTS } from './catalog';
import type { Engine, Protocol } from './engines';

export type { Engine, Protocol };

/** The TLS port of a protocol on an engine; throws for a pair the engine does not speak. */
export function protocolPort(engine: Engine, protocol: Protocol): ec2.Port {
  const port = PROTOCOL_PORTS[engine][protocol];
  if (port === undefined) throw new Error(`${engine} brokers do not speak ${protocol}`);
  return ec2.Port.tcp(port);
}

/** Human name of a protocol for rule descriptions and outputs. */
export const PROTOCOL_LABELS: Record<Protocol, string> = {
  OPENWIRE: 'OpenWire',
  STOMP: 'STOMP',
  AMQP: 'AMQP',
  MQTT: 'MQTT',
  WSS: 'WSS',
  CONSOLE: 'Console',
};

/** Name of the CloudFormation attribute part for a protocol, e.g. `OpenWire` in `OpenWireEndpoints`. */
export const PROTOCOL_ATTRIBUTE_NAMES: Record<Protocol, string> = {
  OPENWIRE: 'OpenWire',
  STOMP: 'Stomp',
  AMQP: 'Amqp',
  MQTT: 'Mqtt',
  WSS: 'Wss',
  CONSOLE: 'Console',
};

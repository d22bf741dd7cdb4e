import { MqPlatformError } from './errors';

/** A broker endpoint as Amazon MQ reports it, e.g. `stomp+ssl://b-1.mq.eu-west-1.amazonaws.com:61614`. */
export interface Endpoint {
  /** URL scheme without `://`, e.g. `amqps`, `stomp+ssl`, `ssl`. */
  readonly protocol: string;
  readonly host: string;
  readonly port: number;
}

/** Default ports of the TLS protocols Amazon MQ exposes. */
export const DEFAULT_PORTS: Record<string, number> = {
  amqps: 5671,
  'amqp+ssl': 5671,
  'stomp+ssl': 61614,
  'stomp+tls': 61614,
  ssl: 61617,
  'mqtt+ssl': 8883,
  wss: 61619,
  https: 443,
};

/** Parses `scheme://host[:port]`; the port defaults from the scheme. */
export function parseEndpoint(raw: string): Endpoint {
  const m = /^([a-z][a-z0-9+.-]*):\/\/(\[[^\]]+\]|[^:/?#]+)(?::(\d+))?\/?$/i.exec(raw.trim());
  if (!m) {
    throw new MqPlatformError('usage', `invalid endpoint "${raw}"`, {
      hint: 'use scheme://host:port, e.g. amqps://127.0.0.1:5671 or stomp+ssl://127.0.0.1:61614',
    });
  }
  const protocol = m[1].toLowerCase();
  const host = m[2].replace(/^\[|\]$/g, '');
  const port = m[3] !== undefined ? Number(m[3]) : DEFAULT_PORTS[protocol];
  if (port === undefined || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new MqPlatformError('usage', `endpoint "${raw}" has no valid port`, { hint: 'add :<port> to the endpoint' });
  }
  return { protocol, host, port };
}

/** Formats an endpoint back to `scheme://host:port`. */
export function formatEndpoint(e: Endpoint): string {
  const host = e.host.includes(':') ? `[${e.host}]` : e.host;
  return `${e.protocol}://${host}:${e.port}`;
}

/** Which engine a protocol belongs to, for endpoint overrides. */
export function engineForProtocol(protocol: string): 'RABBITMQ' | 'ACTIVEMQ' | undefined {
  if (protocol === 'amqps') return 'RABBITMQ';
  if (protocol === 'stomp+ssl' || protocol === 'stomp+tls') return 'ACTIVEMQ';
  return undefined;
}

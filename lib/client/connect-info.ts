import { BrokerCredentials, BrokerInfo, LdapInfo } from './broker-directory';
import { parseEndpoint } from './endpoint';

export const MASK = '********';

/** Options of buildConnectInfo. */
export interface ConnectInfoOptions {
  /** Put the real password in the result. @default false (masked) */
  readonly showSecret?: boolean;
}

/** Endpoints of a broker grouped by protocol, one entry per instance, in instance order. */
export function endpointsByProtocol(broker: BrokerInfo): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const inst of broker.instances) {
    for (const e of inst.endpoints) {
      const protocol = e.slice(0, Math.max(0, e.indexOf('://'))) || 'unknown';
      (out[protocol] ??= []).push(e);
    }
  }
  return out;
}

/** Ready connection settings for the usual clients. */
export interface ConnectInfo {
  readonly broker: string;
  readonly engine: string;
  readonly mode: string;
  readonly username: string;
  readonly password: string;
  readonly credentialsSource: string;
  /** RabbitMQ: URL for `amqplib.connect()`. */
  readonly amqplib?: { readonly url: string };
  /** ActiveMQ: STOMP over TLS; try the endpoints in order (active/standby). */
  readonly stomp?: {
    readonly endpoints: { host: string; port: number; ssl: true }[];
    readonly connectHeaders: { login: string; passcode: string };
  };
  /** ActiveMQ: OpenWire `brokerURL` for Java JMS (ActiveMQConnectionFactory). */
  readonly jms?: { readonly brokerUrl: string; readonly userName: string; readonly password: string };
  /** ActiveMQ: AMQP 1.0 over TLS endpoints (e.g. rhea, Qpid JMS). */
  readonly amqp10?: { readonly endpoints: string[] };
  /** Web console(s). */
  readonly consoleUrls: string[];
  /** LDAP brokers: the directory clients authenticate against (username and password are directory credentials). */
  readonly ldap?: LdapInfo;
}

/** Builds connection settings; the password is masked unless `showSecret`. */
export function buildConnectInfo(broker: BrokerInfo, creds: BrokerCredentials, options: ConnectInfoOptions = {}): ConnectInfo {
  const password = options.showSecret ? creds.password : MASK;
  const byProto = endpointsByProtocol(broker);
  const base = {
    broker: broker.name,
    engine: broker.engine,
    mode: broker.mode,
    username: creds.username,
    password,
    credentialsSource: creds.source,
    consoleUrls: broker.instances.map((i) => i.consoleUrl).filter((u): u is string => !!u),
    ...(broker.ldap ? { ldap: broker.ldap } : {}),
  };
  if (broker.engine === 'RABBITMQ') {
    const amqps = byProto.amqps?.[0];
    if (!amqps) return base;
    const e = parseEndpoint(amqps);
    // The masked form stays a readable placeholder rather than a percent-encoded one.
    const pw = options.showSecret ? encodeURIComponent(creds.password) : MASK;
    return { ...base, amqplib: { url: `amqps://${encodeURIComponent(creds.username)}:${pw}@${e.host}:${e.port}` } };
  }
  const stomp = (byProto['stomp+ssl'] ?? []).map(parseEndpoint);
  const openwire = byProto.ssl ?? [];
  return {
    ...base,
    ...(stomp.length
      ? {
          stomp: {
            endpoints: stomp.map((e) => ({ host: e.host, port: e.port, ssl: true as const })),
            connectHeaders: { login: creds.username, passcode: password },
          },
        }
      : {}),
    ...(openwire.length ? { jms: { brokerUrl: `failover:(${openwire.join(',')})`, userName: creds.username, password } } : {}),
    ...(byProto['amqp+ssl']?.length ? { amqp10: { endpoints: byProto['amqp+ssl'] } } : {}),
  };
}

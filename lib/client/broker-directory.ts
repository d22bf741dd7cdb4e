import { DescribeBrokerCommand, DescribeBrokerResponse, MqClient, BrokerSummary, paginateListBrokers } from '@aws-sdk/client-mq';
import { GetSecretValueCommand, SecretsManagerClient, paginateListSecrets } from '@aws-sdk/client-secrets-manager';
import { ldapUrl } from '../amazonmq/ldap';
import { secretNamePrefix } from '../contract/names';
import { TAG_KEYS } from '../contract/tags';
import { classifyAwsError } from './aws-errors';
import { MqPlatformError } from './errors';
import { Engine } from './messaging-client';

/** Tag keys the CDK core puts on brokers and secrets (lib/contract/tags). */
export const TAG_ENVIRONMENT = TAG_KEYS.environment;
export const TAG_BROKER = TAG_KEYS.broker;
export const TAG_USERNAME = TAG_KEYS.username;
export const TAG_APPLICATION_SECRET = TAG_KEYS.applicationSecret;

/** A RabbitMQ broker with token authentication: how clients get their token (never a token itself). */
export interface TokenAuthenticationInfo {
  /** `iam`: the application's STS web identity token; `oauth2`: its identity provider's access token. */
  readonly kind: 'iam' | 'oauth2';
  /** The audience (resource server id) the tokens must carry. */
  readonly audience?: string;
}

/** An LDAP broker's directory settings, as DescribeBroker reports them (never the service account's password). */
export interface LdapInfo {
  /** Where the broker connects: `ldaps://<host>:636`, the first one, then failover servers. */
  readonly urls: string[];
  readonly serviceAccountUsername?: string;
  readonly userBase?: string;
  readonly userSearchMatching?: string;
  readonly userSearchSubtree?: boolean;
  readonly userRoleName?: string;
  readonly roleBase?: string;
  readonly roleSearchMatching?: string;
  readonly roleSearchSubtree?: boolean;
  readonly roleName?: string;
}

/** Options of a BrokerDirectory. */
export interface BrokerDirectoryProps {
  /** AWS region. @default the SDK's resolution (AWS_REGION, profile) */
  readonly region?: string;
  /** Shared-config profile. @default the SDK's resolution (AWS_PROFILE, default) */
  readonly profile?: string;
  /** Pre-built clients, e.g. for tests. @default new clients from region/profile */
  readonly mqClient?: MqClient;
  readonly secretsClient?: SecretsManagerClient;
}

/** A broker row of `list`. */
export interface BrokerListEntry {
  readonly id: string;
  readonly name: string;
  readonly engine: string;
  readonly mode: string;
  readonly state: string;
  readonly environment?: string;
}

/** One broker instance (two for ACTIVE_STANDBY_MULTI_AZ). */
export interface BrokerInstanceInfo {
  readonly consoleUrl?: string;
  readonly ipAddress?: string;
  readonly endpoints: string[];
}

/** What the tooling needs to know about a broker. */
export interface BrokerInfo extends BrokerListEntry {
  readonly arn?: string;
  readonly engineVersion?: string;
  /** `mq-platform:broker` tag: the broker's name in config. */
  readonly logicalName?: string;
  readonly instances: BrokerInstanceInfo[];
  readonly users: string[];
  /** Amazon MQ's AuthenticationStrategy: `SIMPLE`, `LDAP` or `CONFIG_MANAGED`. @default - not reported (SIMPLE) */
  readonly authenticationStrategy?: string;
  /** LDAP brokers: the directory settings. */
  readonly ldap?: LdapInfo;
  /** LDAP brokers: the `mq-platform:application-secret` tag, the secret of the directory user applications connect as. */
  readonly applicationSecret?: string;
  /** IAM or OAuth 2.0 brokers (CONFIG_MANAGED): the kind of token and its audience, from the platform's tags. */
  readonly token?: TokenAuthenticationInfo;
}

/** Broker credentials from its Secrets Manager secret. */
export interface BrokerCredentials {
  readonly username: string;
  readonly password: string;
  /** Where they came from: a secret name or a local source. */
  readonly source: string;
}

/** Pages read at most from a list call: a bound, should an API keep answering with a next token. */
const MAX_PAGES = 50;

const BROKER_ID = /^b-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Finds mq-platform brokers and their credentials with @aws-sdk/client-mq and client-secrets-manager. */
export class BrokerDirectory {
  private readonly mq: MqClient;
  private readonly secrets: SecretsManagerClient;
  private readonly region?: string;

  constructor(props: BrokerDirectoryProps = {}) {
    this.region = props.region;
    const config = { region: props.region, profile: props.profile };
    this.mq = props.mqClient ?? new MqClient(config);
    this.secrets = props.secretsClient ?? new SecretsManagerClient(config);
  }

  /** Brokers of the account and region; with `environment`, only those tagged for it. */
  async list(environment?: string): Promise<BrokerListEntry[]> {
    const summaries = await this.summaries();
    const candidates = environment ? summaries.filter((s) => s.BrokerName?.endsWith(`-${environment}`)) : summaries;
    const entries: BrokerListEntry[] = [];
    for (const s of candidates) {
      if (!environment) {
        entries.push(fromSummary(s));
        continue;
      }
      // The name suffix is a cheap pre-filter; the tag is the truth.
      const d = await this.describeById(s.BrokerId!);
      if (d.Tags?.[TAG_ENVIRONMENT] === environment) entries.push(fromSummary(s, environment));
    }
    return entries.sort((a, b) => a.name.localeCompare(b.name));
  }

  /**
   * Finds a broker by id, by physical name (`orders-dev`), or by config name plus environment
   * (`orders` with environment `dev`).
   */
  async describe(ref: string, environment?: string): Promise<BrokerInfo> {
    if (BROKER_ID.test(ref)) return toInfo(await this.describeById(ref));
    const names = environment && !ref.endsWith(`-${environment}`) ? [`${ref}-${environment}`, ref] : [ref];
    const summaries = await this.summaries();
    for (const n of names) {
      const s = summaries.find((x) => x.BrokerName === n);
      if (s) return toInfo(await this.describeById(s.BrokerId!));
    }
    throw new MqPlatformError('not-found', `broker "${names[0]}" not found${this.region ? ` in ${this.region}` : ''}`, {
      hint: `run \`mq-platform list${environment ? ` --env ${environment}` : ''}\` to see the brokers; check --env and --region`,
    });
  }

  /**
   * Reads the broker user's secret `mq-platform/<env>/<broker>/<username>`. Without `username`,
   * uses the only secret of the broker, or asks for --user when there are several.
   */
  async credentials(broker: BrokerInfo, username?: string): Promise<BrokerCredentials> {
    const env = broker.environment;
    const logical = broker.logicalName;
    if (!env || !logical) {
      throw new MqPlatformError(
        'not-found',
        `broker ${broker.name} has no ${TAG_ENVIRONMENT}/${TAG_BROKER} tags, so its secret cannot be found`,
        {
          hint: 'is it managed by mq-platform? For other brokers pass --secret-json-file or MQ_PLATFORM_USERNAME/MQ_PLATFORM_PASSWORD',
        },
      );
    }
    const prefix = secretNamePrefix(env, logical);
    let secretName: string;
    if (broker.authenticationStrategy === 'LDAP' && !username) {
      // The broker's own secrets are the service account's (never a client's): clients use directory credentials.
      if (!broker.applicationSecret) {
        throw new MqPlatformError('usage', `broker ${broker.name} authenticates against LDAP and names no application secret`, {
          hint: 'pass your directory credentials with --secret-json-file or MQ_PLATFORM_USERNAME/MQ_PLATFORM_PASSWORD, or set authentication.applicationSecretArn in the config',
        });
      }
      secretName = broker.applicationSecret;
    } else if (username) {
      secretName = `${prefix}${username}`;
    } else {
      const names = await this.secretNames(prefix);
      if (names.length === 0) {
        throw new MqPlatformError('not-found', `no secret under ${prefix}`, {
          hint: 'check the broker was deployed by mq-platform, and --region',
        });
      }
      if (names.length > 1) {
        const users = names.map((n) => n.slice(prefix.length)).join(', ');
        throw new MqPlatformError('usage', `broker ${broker.name} has several users (${users})`, { hint: 'pass --user <name>' });
      }
      secretName = names[0];
    }
    let secretString: string | undefined;
    try {
      secretString = (await this.secrets.send(new GetSecretValueCommand({ SecretId: secretName }))).SecretString;
    } catch (e) {
      const err = classifyAwsError(e, `reading secret ${secretName}`, this.region);
      if (err.kind === 'not-found') {
        throw new MqPlatformError('not-found', `secret ${secretName} not found${this.region ? ` in ${this.region}` : ''}`, {
          hint: `check the username${broker.users.length ? ` (broker users: ${broker.users.join(', ')})` : ''}`,
          cause: e,
        });
      }
      throw err;
    }
    return { ...parseSecretJson(secretString, secretName), source: secretName };
  }

  private async secretNames(prefix: string): Promise<string[]> {
    const names: string[] = [];
    let pages = 0;
    try {
      for await (const out of paginateListSecrets({ client: this.secrets }, { Filters: [{ Key: 'name', Values: [prefix] }] })) {
        // The name filter is a prefix match on words; keep exact prefix matches only.
        for (const s of out.SecretList ?? []) if (s.Name?.startsWith(prefix)) names.push(s.Name);
        if (++pages >= MAX_PAGES) break;
      }
    } catch (e) {
      throw classifyAwsError(e, `listing secrets under ${prefix}`, this.region);
    }
    return names.sort();
  }

  private async summaries(): Promise<BrokerSummary[]> {
    const all: BrokerSummary[] = [];
    let pages = 0;
    try {
      for await (const out of paginateListBrokers({ client: this.mq, pageSize: 100 }, {})) {
        all.push(...(out.BrokerSummaries ?? []));
        if (++pages >= MAX_PAGES) break;
      }
    } catch (e) {
      throw classifyAwsError(e, 'listing brokers', this.region);
    }
    return all;
  }

  private async describeById(id: string): Promise<DescribeBrokerResponse> {
    try {
      return await this.mq.send(new DescribeBrokerCommand({ BrokerId: id }));
    } catch (e) {
      const err = classifyAwsError(e, `describing broker ${id}`, this.region);
      if (err.kind === 'not-found')
        throw new MqPlatformError('not-found', `broker ${id} not found${this.region ? ` in ${this.region}` : ''}`, {
          hint: 'run `mq-platform list`; check --region',
          cause: e,
        });
      throw err;
    }
  }
}

/** Parses `{"username": "...", "password": "..."}`; errors never echo the content. */
export function parseSecretJson(text: string | undefined, source: string): { username: string; password: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text ?? '');
  } catch {
    throw new MqPlatformError('protocol', `${source} is not JSON`, { hint: 'expected {"username": "...", "password": "..."}' });
  }
  const o = parsed as { username?: unknown; password?: unknown };
  if (typeof o?.username !== 'string' || typeof o?.password !== 'string' || !o.username || !o.password) {
    throw new MqPlatformError('protocol', `${source} lacks a string "username" and "password"`, {
      hint: 'expected {"username": "...", "password": "..."}',
    });
  }
  return { username: o.username, password: o.password };
}

function fromSummary(s: BrokerSummary, environment?: string): BrokerListEntry {
  return {
    id: s.BrokerId ?? '',
    name: s.BrokerName ?? '',
    engine: String(s.EngineType ?? '').toUpperCase(),
    mode: String(s.DeploymentMode ?? ''),
    state: String(s.BrokerState ?? ''),
    ...(environment ? { environment } : {}),
  };
}

function toInfo(d: DescribeBrokerResponse): BrokerInfo {
  return {
    id: d.BrokerId ?? '',
    arn: d.BrokerArn,
    name: d.BrokerName ?? '',
    engine: String(d.EngineType ?? '').toUpperCase() as Engine,
    engineVersion: d.EngineVersion,
    mode: String(d.DeploymentMode ?? ''),
    state: String(d.BrokerState ?? ''),
    environment: d.Tags?.[TAG_ENVIRONMENT],
    logicalName: d.Tags?.[TAG_BROKER],
    instances: (d.BrokerInstances ?? []).map((i) => ({ consoleUrl: i.ConsoleURL, ipAddress: i.IpAddress, endpoints: i.Endpoints ?? [] })),
    users: (d.Users ?? []).map((u) => u.Username ?? '').filter(Boolean),
    ...(d.AuthenticationStrategy ? { authenticationStrategy: String(d.AuthenticationStrategy).toUpperCase() } : {}),
    ...(d.LdapServerMetadata ? { ldap: toLdapInfo(d.LdapServerMetadata) } : {}),
    ...(d.Tags?.[TAG_APPLICATION_SECRET] ? { applicationSecret: d.Tags[TAG_APPLICATION_SECRET] } : {}),
    ...tokenInfo(d),
  };
}

function toLdapInfo(m: NonNullable<DescribeBrokerResponse['LdapServerMetadata']>): LdapInfo {
  return {
    urls: (m.Hosts ?? []).map(ldapUrl),
    serviceAccountUsername: m.ServiceAccountUsername,
    userBase: m.UserBase,
    userSearchMatching: m.UserSearchMatching,
    userSearchSubtree: m.UserSearchSubtree,
    userRoleName: m.UserRoleName,
    roleBase: m.RoleBase,
    roleSearchMatching: m.RoleSearchMatching,
    roleSearchSubtree: m.RoleSearchSubtree,
    roleName: m.RoleName,
  };
}

/** A token broker (CONFIG_MANAGED): iam or oauth2 and the audience, from the mq-platform tags (oauth2 when untagged). */
function tokenInfo(d: DescribeBrokerResponse): { token?: TokenAuthenticationInfo } {
  if (String(d.AuthenticationStrategy ?? '').toUpperCase() !== 'CONFIG_MANAGED') return {};
  const kind = d.Tags?.[TAG_KEYS.authentication] === 'iam' ? 'iam' : 'oauth2';
  const audience = d.Tags?.[TAG_KEYS.tokenAudience];
  return { token: { kind, ...(audience ? { audience } : {}) } };
}

/**
 * A throwaway OpenLDAP directory (Debian's slapd) on 127.0.0.1 over ldaps, with the tree Amazon MQ
 * expects for ActiveMQ LDAP (security-authentication-authorization.html): users with a uid, roles
 * as groupOfNames, and destination permissions (read, write, admin groups) under the queue, topic
 * and temp search bases. Plus what Amazon MQ derives from a broker's LdapServerMetadata for the
 * local ActiveMQ: the JAAS LDAPLoginModule options and the connection of cachedLDAPAuthorizationMap.
 */
import { ChildProcess, execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { freePort, secret, waitForPort, type TestCa } from './brokers';

const run = promisify(execFile);

export const SLAPD = '/usr/sbin/slapd';
export const SLAPADD = '/usr/sbin/slapadd';

export function missingSlapd(): string | undefined {
  return fs.existsSync(SLAPD) && fs.existsSync(SLAPADD)
    ? undefined
    : 'LDAP integration tests need slapd; run scripts/install-integration-deps.sh (or, as root: apt-get install -y slapd ldap-utils)';
}

/** A directory user: `uid=<uid>,<usersDn>`, member of the given role groups. */
export interface DirectoryUser {
  readonly uid: string;
  readonly password: string;
  readonly roles: readonly string[];
}

/** Destination permissions: role names per permission, for a queue or topic pattern ("$" is ActiveMQ's ">"). */
export interface DestinationGrant {
  readonly kind: 'Queue' | 'Topic';
  readonly pattern: string;
  readonly read: readonly string[];
  readonly write: readonly string[];
  readonly admin: readonly string[];
}

export interface DirectoryTree {
  readonly suffix: string;
  readonly serviceAccountDn: string;
  readonly serviceAccountPassword: string;
  readonly users: readonly DirectoryUser[];
  readonly grants: readonly DestinationGrant[];
  /** Roles that may use temporary destinations. */
  readonly tempRoles: readonly string[];
}

/** DNs of the tree, the values a broker's LDAP settings name. */
export function treeDns(suffix: string) {
  return {
    users: `ou=Users,${suffix}`,
    groups: `ou=Groups,${suffix}`,
    queues: `ou=Queue,ou=Destination,${suffix}`,
    topics: `ou=Topic,ou=Destination,${suffix}`,
    temp: `ou=Temp,ou=Destination,${suffix}`,
  };
}

function ldif(tree: DirectoryTree): string {
  const dn = treeDns(tree.suffix);
  const dc = /^dc=([^,]+)/.exec(tree.suffix)![1];
  const roles = [
    ...new Set([
      ...tree.users.flatMap((u) => u.roles),
      ...tree.grants.flatMap((g) => [...g.read, ...g.write, ...g.admin]),
      ...tree.tempRoles,
    ]),
  ];
  const roleDn = (r: string) => `cn=${r},${dn.groups}`;
  const entries: string[] = [
    `dn: ${tree.suffix}\nobjectClass: dcObject\nobjectClass: organization\ndc: ${dc}\no: ${dc}`,
    ...['Users', 'Groups', 'Services', 'Destination'].map(
      (ou) => `dn: ou=${ou},${tree.suffix}\nobjectClass: organizationalUnit\nou: ${ou}`,
    ),
    ...['Queue', 'Topic', 'Temp'].map((ou) => `dn: ou=${ou},ou=Destination,${tree.suffix}\nobjectClass: organizationalUnit\nou: ${ou}`),
    `dn: ${tree.serviceAccountDn}\nobjectClass: person\nobjectClass: simpleSecurityObject\ncn: ${/^cn=([^,]+)/.exec(tree.serviceAccountDn)![1]}\nsn: service\nuserPassword: ${tree.serviceAccountPassword}`,
    // "ActiveMQ source code hardcodes the attribute name for users to uid"; members are resolved by objectClass person.
    ...tree.users.map(
      (u) =>
        `dn: uid=${u.uid},${dn.users}\nobjectClass: inetOrgPerson\nobjectClass: organizationalPerson\nobjectClass: person\nuid: ${u.uid}\ncn: ${u.uid}\nsn: ${u.uid}\nuserPassword: ${u.password}`,
    ),
    ...roles.map((r) => {
      const members = tree.users.filter((u) => u.roles.includes(r)).map((u) => `member: uid=${u.uid},${dn.users}`);
      // groupOfNames needs a member: a role without users names the service account.
      return `dn: ${roleDn(r)}\nobjectClass: groupOfNames\ncn: ${r}\n${(members.length ? members : [`member: ${tree.serviceAccountDn}`]).join('\n')}`;
    }),
  ];
  const permission = (parent: string, name: string, roleNames: readonly string[]) =>
    `dn: cn=${name},${parent}\nobjectClass: groupOfNames\ncn: ${name}\n${(roleNames.length ? roleNames.map((r) => `member: ${roleDn(r)}`) : [`member: ${tree.serviceAccountDn}`]).join('\n')}`;
  for (const g of tree.grants) {
    const parent = `ou=${g.pattern},${g.kind === 'Queue' ? dn.queues : dn.topics}`;
    entries.push(`dn: ${parent}\nobjectClass: organizationalUnit\nou: ${g.pattern}`);
    entries.push(permission(parent, 'read', g.read), permission(parent, 'write', g.write), permission(parent, 'admin', g.admin));
  }
  for (const p of ['read', 'write', 'admin']) entries.push(permission(dn.temp, p, tree.tempRoles));
  return `${entries.join('\n\n')}\n`;
}

/** slapd with one mdb database, ldaps only, on a free loopback port. */
export class SlapdServer {
  port = 0;
  private child?: ChildProcess;
  private readonly rootPassword = secret();

  constructor(
    private readonly dir: string,
    private readonly ca: TestCa,
    readonly tree: DirectoryTree,
  ) {}

  get url(): string {
    return `ldaps://127.0.0.1:${this.port}`;
  }

  get logFile(): string {
    return path.join(this.dir, 'slapd.out');
  }

  async start(): Promise<void> {
    const d = this.dir;
    fs.mkdirSync(path.join(d, 'db'), { recursive: true });
    this.port = await freePort();
    const conf = path.join(d, 'slapd.conf');
    fs.writeFileSync(
      conf,
      [
        ...['core', 'cosine', 'inetorgperson'].map((s) => `include /etc/ldap/schema/${s}.schema`),
        'modulepath /usr/lib/ldap',
        'moduleload back_mdb',
        `pidfile ${path.join(d, 'slapd.pid')}`,
        `TLSCACertificateFile ${this.ca.caFile}`,
        `TLSCertificateFile ${this.ca.certFile}`,
        `TLSCertificateKeyFile ${this.ca.keyFile}`,
        'database mdb',
        'maxsize 10485760',
        `suffix "${this.tree.suffix}"`,
        `rootdn "cn=admin,${this.tree.suffix}"`,
        `rootpw ${this.rootPassword}`,
        `directory ${path.join(d, 'db')}`,
        // Clients bind with their password; only the service account reads the tree.
        'access to attrs=userPassword by anonymous auth by * none',
        `access to * by dn.exact="${this.tree.serviceAccountDn}" read by * none`,
        '',
      ].join('\n'),
      { mode: 0o600 },
    );
    const data = path.join(d, 'data.ldif');
    fs.writeFileSync(data, ldif(this.tree), { mode: 0o600 });
    await run(SLAPADD, ['-f', conf, '-l', data]);
    const out = fs.openSync(this.logFile, 'a');
    // -d 0: stay in the foreground (a child the test stops), logging nothing but errors.
    this.child = spawn(SLAPD, ['-f', conf, '-h', `ldaps://127.0.0.1:${this.port}/`, '-d', '0'], { stdio: ['ignore', out, out] });
    fs.closeSync(out);
    const child = this.child;
    await Promise.race([
      waitForPort(this.port, 30000),
      new Promise((_r, reject) => child.once('exit', (code) => reject(new Error(`slapd exited with ${code}; see ${this.logFile}`)))),
    ]);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
    await exited;
    clearTimeout(timer);
  }
}

/** LdapServerMetadata as the broker resource has it (the template's PascalCase keys). */
export interface LdapServerMetadata {
  readonly Hosts: readonly string[];
  readonly ServiceAccountUsername: string;
  readonly UserBase: string;
  readonly UserSearchMatching: string;
  readonly UserSearchSubtree?: boolean;
  readonly UserRoleName?: string;
  readonly RoleBase: string;
  readonly RoleSearchMatching: string;
  readonly RoleSearchSubtree?: boolean;
  readonly RoleName?: string;
}

const jaasValue = (v: string) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/**
 * The JAAS login configuration Amazon MQ runs for LdapServerMetadata (its LDAP support is ActiveMQ's
 * JAAS LDAPLoginModule, whose options carry the same names), with `url` standing for ldaps://<host>:636
 * and the service account's password as CloudFormation resolves it.
 */
export function jaasLoginConfig(name: string, m: LdapServerMetadata, url: string, servicePassword: string): string {
  const options: Array<[string, string | boolean | undefined]> = [
    ['initialContextFactory', 'com.sun.jndi.ldap.LdapCtxFactory'],
    ['connectionURL', url],
    ['connectionUsername', m.ServiceAccountUsername],
    ['connectionPassword', servicePassword],
    ['connectionProtocol', ''],
    ['authentication', 'simple'],
    ['userBase', m.UserBase],
    ['userSearchMatching', m.UserSearchMatching],
    ['userSearchSubtree', m.UserSearchSubtree ?? false],
    ['userRoleName', m.UserRoleName],
    ['roleBase', m.RoleBase],
    ['roleName', m.RoleName],
    ['roleSearchMatching', m.RoleSearchMatching],
    ['roleSearchSubtree', m.RoleSearchSubtree ?? false],
  ];
  const lines = options.filter(([, v]) => v !== undefined).map(([k, v]) => `    ${k}=${jaasValue(String(v))}`);
  return `${name} {\n  org.apache.activemq.jaas.LDAPLoginModule required\n${lines.join('\n')}\n  ;\n};\n`;
}

function xmlAttr(v: string): string {
  return v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * What Amazon MQ does to the broker configuration of an LDAP broker: it fills the connection of
 * cachedLDAPAuthorizationMap (connectionURL, connectionUsername, connectionPassword, which the
 * configuration may not carry) from the broker's LdapServerMetadata.
 */
export function withLdapConnection(configurationXml: string, connection: { url: string; username: string; password: string }): string {
  if (/connection(URL|Username|Password)=/.test(configurationXml))
    throw new Error('the configuration carries a connection attribute Amazon MQ blocks');
  const attrs = ` connectionURL="${xmlAttr(connection.url)}" connectionUsername="${xmlAttr(connection.username)}" connectionPassword="${xmlAttr(connection.password)}"`;
  const out = configurationXml.replace('<cachedLDAPAuthorizationMap', `<cachedLDAPAuthorizationMap${attrs}`);
  if (out === configurationXml) throw new Error('the configuration has no cachedLDAPAuthorizationMap');
  return out;
}

/** JAAS authentication against the directory: the plugin Amazon MQ adds for the LDAP strategy. */
export function jaasPluginXml(jaasName: string): string {
  return `<jaasAuthenticationPlugin configuration="${xmlAttr(jaasName)}"/>`;
}

/** A PKCS12 trust store with the test CA, so that the JVM trusts the directory's ldaps certificate. */
export async function javaTrustStore(ca: TestCa, file: string): Promise<{ file: string; password: string }> {
  const password = secret();
  await run('keytool', [
    '-importcert',
    '-noprompt',
    '-alias',
    'test-ca',
    '-file',
    ca.caFile,
    '-keystore',
    file,
    '-storetype',
    'PKCS12',
    '-storepass',
    password,
  ]);
  return { file, password };
}

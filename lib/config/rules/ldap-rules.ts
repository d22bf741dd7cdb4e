import { SOURCES, TAG_LENGTHS } from '../../amazonmq/catalog';
import type { BrokerConfig } from '../schema';
import type { LdapAuthenticationConfig } from '../schema-authentication-ldap';
import { at } from './problem';
import { brokerRule, type BrokerRule, type BrokerRuleContext } from './rule';

/** Pages the LDAP rules come from. */
export const LDAP_SOURCES = {
  /** "Integrating ActiveMQ brokers with LDAP": hosts, service account, search filters, cachedLDAPAuthorizationMap. */
  guide: 'https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/security-authentication-authorization.html',
  /** LdapServerMetadata in CloudFormation: required properties; "Does not apply to RabbitMQ brokers". */
  cfn: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-amazonmq-broker-ldapservermetadata.html',
  /** Broker authentication methods: with LDAP, users authenticate through the directory's credentials. */
  methods: 'https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/security-broker-auth-ref.html',
  /** Secrets Manager dynamic references: secret-id by ARN, json-key without ':'. */
  dynamicReference: 'https://docs.aws.amazon.com/secretsmanager/latest/userguide/cfn-example_reference-secret.html',
  /** Secret ARNs: the name, a hyphen and six random characters. */
  secretArn: 'https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html',
  /** Exact role ARNs in the secrets' resource policies (aws:PrincipalArn). */
  roleArn: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns',
} as const;

/** The broker's LDAP authentication, when its strategy is "ldap". */
export function ldapAuthentication(b: Pick<BrokerConfig, 'authentication'>): LdapAuthenticationConfig | undefined {
  const a = b.authentication;
  return a?.strategy === 'ldap' ? a : undefined;
}

const p = (ctx: BrokerRuleContext, ...rest: Array<string | number>) => at('brokers', ctx.index, 'authentication', ...rest);

/** A host name of letters, digits and dashes, at least two labels (a fully qualified domain name). */
const FQDN = /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
/** attr=value pairs separated by commas (RFC 4514, loosely: attribute types are letters, digits, dashes or OIDs). */
const DN = /^\s*([A-Za-z][A-Za-z0-9-]*|\d+(\.\d+)*)\s*=\s*[^,]+(\s*,\s*([A-Za-z][A-Za-z0-9-]*|\d+(\.\d+)*)\s*=\s*[^,]+)*\s*$/;
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[^*?]+$/;

/** Required strings of LdapServerMetadata (CloudFormation) and the three search bases of the authorization map (guide). */
const REQUIRED_STRINGS: ReadonlyArray<readonly string[]> = [
  ['serviceAccount', 'username'],
  ['userBase'],
  ['userSearchMatching'],
  ['roleBase'],
  ['roleSearchMatching'],
  ['authorization', 'queueSearchBase'],
  ['authorization', 'topicSearchBase'],
  ['authorization', 'tempSearchBase'],
];

const valueAt = (o: unknown, path: readonly string[]): unknown =>
  path.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), o);

export const LDAP_RULES: readonly BrokerRule[] = [
  // LdapServerMetadata "Does not apply to RabbitMQ brokers" (CloudFormation); "LDAP integration is not
  // supported for RabbitMQ brokers" (guide). RabbitMQ's own LDAP plugin is configured through
  // rabbitmq.conf, which this strategy does not produce.
  brokerRule('ldap-engine', LDAP_SOURCES.cfn, (b, ctx, report) => {
    if (!ldapAuthentication(b) || b.engine !== 'RABBITMQ') return;
    report(
      p(ctx, 'strategy'),
      'ldap',
      'is ActiveMQ LDAP (LdapServerMetadata), which does not apply to RABBITMQ brokers; allowed: "simple", "iam" or "oauth2" for RabbitMQ, or engine ACTIVEMQ',
    );
  }),

  // "The fully qualified domain name of the LDAP server you supply must not include the protocol or
  // port number. Amazon MQ will prepend [...] ldaps, and will append the port number 636."
  brokerRule('ldap-hosts', LDAP_SOURCES.guide, (b, ctx, report) => {
    const ldap = ldapAuthentication(b);
    if (!ldap) return;
    if (ldap.hosts.length === 0) {
      report(p(ctx, 'hosts'), [], "is empty; allowed: the LDAP server's fully qualified domain name, then optional failover servers");
      return;
    }
    ldap.hosts.forEach((h, i) => {
      const path = p(ctx, 'hosts', i);
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(h) || /:\d*$/.test(h) || h.includes('/')) {
        report(
          path,
          h,
          'includes a protocol, port or path; allowed: the fully qualified domain name only (Amazon MQ connects to ldaps://<host>:636), for example "ldap.example.com"',
        );
      } else if (IPV4.test(h)) {
        report(
          path,
          h,
          "is an IP address; Amazon MQ expects the LDAP server's fully qualified domain name, publicly resolvable (its certificate must come from a public CA)",
          'warning',
        );
      } else if (!FQDN.test(h)) {
        report(
          path,
          h,
          'is not a fully qualified domain name; allowed: letters, digits, "-" and ".", at least two labels, for example "ldap.example.com"',
        );
      }
    });
    const seen = new Set<string>();
    ldap.hosts.forEach((h, i) => {
      const key = h.toLowerCase();
      if (seen.has(key)) report(p(ctx, 'hosts', i), h, 'is listed twice; allowed: each server once');
      seen.add(key);
    });
  }),

  // Hosts, RoleBase, RoleSearchMatching, ServiceAccountUsername, UserBase, UserSearchMatching are
  // required (CloudFormation); the three search bases of the map are required (guide).
  brokerRule('ldap-required', LDAP_SOURCES.cfn, (b, ctx, report) => {
    const ldap = ldapAuthentication(b);
    if (!ldap) return;
    for (const path of REQUIRED_STRINGS) {
      const v = valueAt(ldap, path);
      if (typeof v === 'string' && v.trim() === '')
        report(p(ctx, ...path), v, 'is empty; allowed: a non-blank value (Amazon MQ requires it)');
    }
  }),

  // Search bases are distinguished names (the guide's examples: "ou=group,dc=example,dc=com").
  brokerRule('ldap-distinguished-names', LDAP_SOURCES.guide, (b, ctx, report) => {
    const ldap = ldapAuthentication(b);
    if (!ldap) return;
    const bases: Array<readonly string[]> = [
      ['userBase'],
      ['roleBase'],
      ['authorization', 'queueSearchBase'],
      ['authorization', 'topicSearchBase'],
      ['authorization', 'tempSearchBase'],
    ];
    for (const path of bases) {
      const v = valueAt(ldap, path);
      if (typeof v === 'string' && v.trim() !== '' && !DN.test(v)) {
        report(
          p(ctx, ...path),
          v,
          'is not a distinguished name; allowed: attribute=value pairs separated by commas, for example "ou=Users,dc=example,dc=com"',
        );
      }
    }
    // "The distinguished name of the user that will be used to perform the initial bind"; Active
    // Directory also binds with a user principal name, so this is advice, not an error.
    const sa = ldap.serviceAccount.username;
    if (sa.trim() !== '' && !DN.test(sa) && !/^[^@\s]+@[^@\s]+$/.test(sa)) {
      report(
        p(ctx, 'serviceAccount', 'username'),
        sa,
        'is neither a distinguished name nor a user principal name; Amazon MQ binds with the service account\'s distinguished name, for example "cn=amazonmq,ou=services,dc=example,dc=com"',
        'warning',
      );
    }
  }),

  // userSearchMatching: "The client's username will be substituted into the {0} placeholder";
  // roleSearchMatching: the user's DN into {0}, the username into {1}. A filter without them finds
  // the same entries for every client: valid for Amazon MQ, but almost certainly a mistake.
  brokerRule('ldap-search-placeholders', LDAP_SOURCES.guide, (b, ctx, report) => {
    const ldap = ldapAuthentication(b);
    if (!ldap) return;
    if (ldap.userSearchMatching.trim() !== '' && !ldap.userSearchMatching.includes('{0}')) {
      report(
        p(ctx, 'userSearchMatching'),
        ldap.userSearchMatching,
        'has no {0} (the client\'s username): every client would match the same directory entry; advised: a filter such as "(uid={0})"',
        'warning',
      );
    }
    if (ldap.roleSearchMatching.trim() !== '' && !/\{[01]\}/.test(ldap.roleSearchMatching)) {
      report(
        p(ctx, 'roleSearchMatching'),
        ldap.roleSearchMatching,
        'has neither {0} (the user\'s DN) nor {1} (the username): every client would get the same roles; advised: a filter such as "(member={0})"',
        'warning',
      );
    }
  }),

  // With LDAP, "broker users authenticate through credentials stored in your LDAP server": Amazon
  // MQ broker users (and so the platform's generated, rotated passwords) have no use.
  brokerRule('ldap-users', LDAP_SOURCES.methods, (b, ctx, report) => {
    if (!ldapAuthentication(b) || b.engine !== 'ACTIVEMQ') return;
    const users = b.users ?? []; // absent when the field did not parse
    if (users.length > 0) {
      report(
        at('brokers', ctx.index, 'users'),
        users.map((u) => u.username),
        "does not apply to LDAP brokers: clients authenticate with their directory credentials, so no broker user or rotated password is created; allowed: remove the field (name the applications' directory secret in authentication.applicationSecretArn)",
      );
    }
  }),

  // Secret ARNs: "Secrets Manager automatically adds a hyphen and six random characters after the
  // secret name at the end of the ARN" (CreateSecret).
  brokerRule('ldap-secret-arns', LDAP_SOURCES.secretArn, (b, ctx, report) => {
    const ldap = ldapAuthentication(b);
    if (!ldap) return;
    const message =
      'is not a Secrets Manager secret ARN; allowed: "arn:<partition>:secretsmanager:<region>:<account>:secret:<name>-<6 characters>"';
    const arn = ldap.serviceAccount.passwordSecretArn;
    if (arn !== undefined && !SECRET_ARN.test(arn)) report(p(ctx, 'serviceAccount', 'passwordSecretArn'), arn, message);
    if (ldap.applicationSecretArn !== undefined && !SECRET_ARN.test(ldap.applicationSecretArn)) {
      report(p(ctx, 'applicationSecretArn'), ldap.applicationSecretArn, message);
    }
  }),

  // No broker users, so no credential rotation and no rotation reboot.
  brokerRule('ldap-rotation', LDAP_SOURCES.methods, (b, ctx, report) => {
    if (!ldapAuthentication(b) || b.engine !== 'ACTIVEMQ') return;
    const optIn = b.rotation?.acceptRebootDowntime;
    if (optIn !== undefined) {
      report(
        at('brokers', ctx.index, 'rotation', 'acceptRebootDowntime'),
        optIn,
        'does not apply to LDAP brokers: they have no broker users, so the platform rotates nothing and never reboots them; allowed: remove the field',
      );
    }
  }),

  // The application secret's ARN becomes the broker's mq-platform:application-secret tag, whose value
  // is at most 256 characters.
  brokerRule('ldap-application-secret-tag', SOURCES.tagging, (b, ctx, report) => {
    const arn = ldapAuthentication(b)?.applicationSecretArn;
    if (arn !== undefined && arn.length > TAG_LENGTHS.other.value) {
      report(
        p(ctx, 'applicationSecretArn'),
        arn,
        `is ${arn.length} characters, too long for the broker tag that names it to the client; allowed: at most ${TAG_LENGTHS.other.value}`,
      );
    }
  }),

  // The password is referenced as {{resolve:secretsmanager:<ARN>:SecretString:<json-key>}}, whose
  // json-key "cannot contain a colon character".
  brokerRule('ldap-password-key', LDAP_SOURCES.dynamicReference, (b, ctx, report) => {
    const ldap = ldapAuthentication(b);
    if (!ldap) return;
    const sa = ldap.serviceAccount;
    if (sa.passwordKey !== undefined) {
      if (sa.passwordSecretArn === undefined) {
        report(
          p(ctx, 'serviceAccount', 'passwordKey'),
          sa.passwordKey,
          'applies only with passwordSecretArn (a generated secret keeps its password under "password"); allowed: remove the field',
        );
      } else if (sa.passwordKey === '' || sa.passwordKey.includes(':')) {
        report(
          p(ctx, 'serviceAccount', 'passwordKey'),
          sa.passwordKey,
          'is not a dynamic reference json-key; allowed: a non-empty key without ":"',
        );
      }
    }
  }),

  // Readers of the generated secret are named by exact role ARN in its resource policy; a referenced
  // secret is not the platform's, so its policy is its owner's.
  brokerRule('ldap-secret-readers', LDAP_SOURCES.roleArn, (b, ctx, report) => {
    const ldap = ldapAuthentication(b);
    if (!ldap?.serviceAccount.readers) return;
    const path = p(ctx, 'serviceAccount', 'readers');
    if (ldap.serviceAccount.passwordSecretArn !== undefined) {
      report(
        path,
        ldap.serviceAccount.readers,
        "applies only to a generated password (the referenced secret's own resource policy decides who reads it); allowed: remove the field",
      );
      return;
    }
    ldap.serviceAccount.readers.forEach((r, i) => {
      if (!ROLE_ARN.test(r))
        report(at(path, i), r, 'is not an exact IAM role ARN; allowed: "arn:aws:iam::<account>:role/<name>", no wildcards');
    });
  }),
];

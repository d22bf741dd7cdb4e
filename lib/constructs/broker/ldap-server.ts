import type * as amazonmq from 'aws-cdk-lib/aws-amazonmq';
import { Validations, type RemovalPolicy } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { restrictSecretReads } from '../secrets/restrict-secret-reads';
import { BrokerCredentials } from './broker-credentials';

/**
 * An ActiveMQ broker's LDAP server (Amazon MQ's "LDAP" authentication strategy): what becomes the
 * broker's LdapServerMetadata. Source:
 * https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/security-authentication-authorization.html
 */
export interface MqBrokerLdap {
  /** Fully qualified domain names, the first the server, the others failover servers; Amazon MQ connects to ldaps://<host>:636. */
  readonly hosts: readonly string[];
  /** Distinguished name the broker binds with. */
  readonly serviceAccountUsername: string;
  /**
   * An existing secret holding the service account's password under `serviceAccountPasswordKey`.
   * @default - a new secret `<secretNamePrefix>ldap-service-account` whose password Secrets Manager
   * generates (the directory's administrators set it on the service account)
   */
  readonly serviceAccountSecret?: secretsmanager.ISecret;
  /** JSON key of the password in `serviceAccountSecret`. @default "password" */
  readonly serviceAccountPasswordKey?: string;
  /** IAM role ARNs that may read a generated service-account secret. @default - none (only CloudFormation) */
  readonly serviceAccountReaders?: readonly string[];
  readonly userBase: string;
  /** Filter with {0} for the client's username, for example "(uid={0})". */
  readonly userSearchMatching: string;
  /** @default false */
  readonly userSearchSubtree?: boolean;
  /** @default - none */
  readonly userRoleName?: string;
  readonly roleBase: string;
  /** Filter with {0} for the user's DN and {1} for the username, for example "(member={0})". */
  readonly roleSearchMatching: string;
  /** @default false */
  readonly roleSearchSubtree?: boolean;
  /** @default - none */
  readonly roleName?: string;
}

/** What the broker resource gets: the metadata, and the generated secret when there is one. */
export interface LdapServerResources {
  readonly metadata: amazonmq.CfnBroker.LdapServerMetadataProperty;
  /** The generated service-account secret (undefined when the config references one). */
  readonly serviceAccountCredentials?: BrokerCredentials;
  /** The secret the password comes from, generated or referenced. */
  readonly serviceAccountSecret: secretsmanager.ISecret;
}

/**
 * LdapServerMetadata with the service account's password as a `{{resolve:secretsmanager:…}}`
 * dynamic reference, never a value. A generated secret gets the platform's read restriction
 * (CloudFormation resolves it; the named readers set it in the directory); a referenced secret
 * belongs to its owner, whose resource policy must let CloudFormation's execution role read it.
 */
export function ldapServerResources(
  scope: Construct,
  ldap: MqBrokerLdap,
  options: { readonly secretNamePrefix: string; readonly encryptionKey: kms.IKey; readonly removalPolicy: RemovalPolicy },
): LdapServerResources {
  let credentials: BrokerCredentials | undefined;
  let secret: secretsmanager.ISecret;
  let key = ldap.serviceAccountPasswordKey ?? 'password';
  if (ldap.serviceAccountSecret) {
    secret = ldap.serviceAccountSecret;
  } else {
    // Construct id and name are a contract: a change regenerates the password the directory holds.
    credentials = new BrokerCredentials(scope, 'LdapServiceAccount', {
      username: ldap.serviceAccountUsername,
      secretName: `${options.secretNamePrefix}ldap-service-account`,
      encryptionKey: options.encryptionKey,
      removalPolicy: options.removalPolicy,
    });
    restrictSecretReads(credentials.secret, {
      readers: ldap.serviceAccountReaders ?? [],
      readByCloudFormation: true,
      encryptionKey: options.encryptionKey,
    });
    // Secrets Manager cannot change the password in the directory, and Amazon MQ reads it only at a
    // deploy: rotation is the directory's, followed by a PutSecretValue and a deploy.
    const reason =
      "The LDAP service account's password lives in the customer's directory, which the platform cannot change; it is rotated there, then written to this secret and deployed (Amazon MQ reads it from LdapServerMetadata)";
    Validations.of(credentials.secret).acknowledge(
      { id: 'AwsSolutions::AwsSolutions-SMG4', reason },
      { id: 'HIPAA.Security::HIPAA.Security-SecretsManagerRotationEnabled', reason },
      { id: 'NIST.800.53.R5::NIST.800.53.R5-SecretsManagerRotationEnabled', reason },
    );
    secret = credentials.secret;
    key = 'password';
  }
  return {
    serviceAccountCredentials: credentials,
    serviceAccountSecret: secret,
    metadata: {
      hosts: [...ldap.hosts],
      serviceAccountUsername: ldap.serviceAccountUsername,
      serviceAccountPassword: secret.secretValueFromJson(key).unsafeUnwrap(),
      userBase: ldap.userBase,
      userSearchMatching: ldap.userSearchMatching,
      userSearchSubtree: ldap.userSearchSubtree,
      userRoleName: ldap.userRoleName,
      roleBase: ldap.roleBase,
      roleSearchMatching: ldap.roleSearchMatching,
      roleSearchSubtree: ldap.roleSearchSubtree,
      roleName: ldap.roleName,
    },
  };
}

/**
 * Tag keys mq-platform puts on what it deploys; the client and the CLI find brokers and secrets by
 * them, the review names a resource's broker by them.
 */
export const TAG_KEYS = {
  /** On every stack and resource: the environment name. */
  environment: 'mq-platform:environment',
  /** On a broker and its key, security group and secrets: the broker's name in the config. */
  broker: 'mq-platform:broker',
  /** On a user secret: the broker username it holds. */
  username: 'mq-platform:username',
  /** On a user secret: what it is for, `application` (clients read it), `administrator` (RabbitMQ, the platform only), `broker-user` (ActiveMQ, CloudFormation and rotation) or `ldap-service-account` (LDAP brokers: CloudFormation and the directory's administrators). */
  secretKind: 'mq-platform:secret-kind',
  /** On an LDAP broker: ARN of the referenced secret of the directory user applications connect as (the CLI reads it). */
  applicationSecret: 'mq-platform:application-secret',
  /** On a RabbitMQ broker with token authentication: `iam` or `oauth2` (Amazon MQ reports only CONFIG_MANAGED). */
  authentication: 'mq-platform:authentication',
  /** On a RabbitMQ broker with token authentication: the audience its tokens must carry (the CLI asks STS for it). */
  tokenAudience: 'mq-platform:token-audience',
} as const;

/** Tags mq-platform puts on a broker besides the config's own (counted against Amazon MQ's 50). */
export const PLATFORM_TAGS_PER_BROKER = 4;

/**
 * The most of ours on one resource: a user secret carries environment, broker, username and secret
 * kind. Raise it with every tag the platform adds to secrets; the tags rules count it against the 50
 * per resource.
 */
export const PLATFORM_TAGS_PER_SECRET = 4;

/** Prefix of the platform's own tag keys: config tags may not use it. */
export const PLATFORM_TAG_PREFIX = 'mq-platform:';

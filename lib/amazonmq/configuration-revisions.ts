import type { Engine } from './engines';

/**
 * How Amazon MQ applies a configuration: each change of its data is a new revision, and the broker
 * runs the revision it is associated with only after its next reboot or maintenance window.
 */
const DOCS = 'https://docs.aws.amazon.com/amazon-mq/latest/developer-guide';

export const CONFIGURATION_REVISION_SOURCES: Record<Engine, string> = {
  // "Making changes to a configuration does not apply the changes to the broker immediately. To apply your changes, you must wait for the next maintenance window or reboot the broker."
  ACTIVEMQ: `${DOCS}/amazon-mq-broker-configuration-parameters.html`,
  // "You must associate the configuration to your RabbitMQ broker and reboot the broker to apply the override."
  RABBITMQ: `${DOCS}/configure-resource-limits.html`,
};

/** What a reviewer is told about a new revision. */
export const REVISION_APPLIES_AT = 'the broker keeps running the previous revision until its next reboot or maintenance window';

/** CloudFormation's configuration name: 1 to 150 of A-Z a-z 0-9 - . _ ~ (CreateConfiguration Name). */
export const CONFIGURATION_NAME_PATTERN = /^[A-Za-z0-9._~-]{1,150}$/;

export const CONFIGURATION_REVISION_FACT_DATES = {
  CONFIGURATION_REVISION_SOURCES: '2026-11-30',
  CONFIGURATION_NAME_PATTERN: '2026-11-30',
} as const;

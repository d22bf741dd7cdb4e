/**
 * How mq-platform names what it deploys. Every tool reads these names — the stacks write them, the
 * client and the CLI find brokers and secrets by them, the rotation function matches secrets by
 * them, alarm-topic policies and dashboards select alarms by them — so they are built here only.
 * Changing one renames (and so replaces) deployed resources.
 */

/** Prefix of every physical name of the platform: `mq-platform`. */
export const PLATFORM = 'mq-platform';

/** Stack names: `MqPlatform-<environment>-<part>`. */
export function stackName(environment: string, part: string): string {
  return `MqPlatform-${environment}-${part}`;
}

/** The stack part of a broker's alarm stack: `Alarms-<broker>` (stack names take no "_"). */
export function alarmStackPart(broker: string): string {
  return `Alarms-${broker.replace(/_/g, '-')}`;
}

/** What a broker's stack output ids start with: its name in PascalCase (`orders-eu` gives `OrdersEu`). */
export function outputIdPrefix(broker: string): string {
  return broker
    .split(/[-_]/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
}

/** The Amazon MQ broker name of a config broker: `<name>-<environment>`. */
export function brokerName(broker: string, environment: string): string {
  return `${broker}-${environment}`;
}

/** Prefix of an environment's resource names: `mq-platform-<environment>`. */
export function resourcePrefix(environment: string): string {
  return `${PLATFORM}-${environment}`;
}

/** What every secret name of an environment starts with: `mq-platform/<environment>/`. */
export function environmentSecretNamePrefix(environment: string): string {
  return `${PLATFORM}/${environment}/`;
}

/** What every user secret name of a broker starts with: `mq-platform/<environment>/<broker>/`. */
export function secretNamePrefix(environment: string, broker: string): string {
  return `${PLATFORM}/${environment}/${broker}/`;
}

/** Every secret name of an environment, as an IAM pattern: `mq-platform/<environment>/*`. */
export function environmentSecretNamePattern(environment: string): string {
  return `${PLATFORM}/${environment}/*`;
}

/** A broker user's secret: `mq-platform/<environment>/<broker>/<username>`. */
export function secretName(environment: string, broker: string, username: string): string {
  return `${secretNamePrefix(environment, broker)}${username}`;
}

/** Alias of a key that encrypts a named resource (a broker, an alarm topic): `alias/mq-platform/<name>`. */
export function keyAlias(name: string): string {
  return `alias/${PLATFORM}/${name}`;
}

/** The environment's alarm topic: `mq-platform-<environment>-alarms`. */
export function alarmTopicName(environment: string): string {
  return `${resourcePrefix(environment)}-alarms`;
}

/** What every alarm name of an environment starts with: `mq-platform-<environment>-`. */
export function alarmNamePrefix(environment: string): string {
  return `${resourcePrefix(environment)}-`;
}

/** Alarm names: `mq-platform-<environment>-<broker>-<what>`, so one prefix lists an environment's or a broker's alarms. */
export function alarmName(environment: string, broker: string, what: string): string {
  return `${alarmNamePrefix(environment)}${broker}-${what}`;
}

/** The environment's dashboard: `mq-platform-<environment>`. */
export function dashboardName(environment: string): string {
  return resourcePrefix(environment);
}

/** The CloudWatch Logs resource policy that lets Amazon MQ write broker logs: `mq-platform-<environment>-amazonmq-logs`. */
export function logPolicyName(environment: string): string {
  return `${resourcePrefix(environment)}-amazonmq-logs`;
}

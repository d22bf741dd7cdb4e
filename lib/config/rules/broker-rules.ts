import {
  BROKER_NAME_PATTERN,
  DEPLOYMENT_MODES_BY_ENGINE,
  ENGINE_VERSIONS,
  GROUP_NAME_PATTERN,
  INSTANCE_TYPE_RULES,
  MAX_GROUPS_PER_USER,
  MAX_INGRESS_RULES_PER_SECURITY_GROUP,
  MAX_TAGS_PER_BROKER,
  PROTOCOL_PORTS,
  RESERVED_TAG_PREFIX,
  SECRET_NAME_PATTERN,
  SOURCES,
  STORAGE_BY_ENGINE_MODE,
  SUBNETS_BY_MODE,
  TAG_KEY_PATTERN,
  TAG_LENGTHS,
  TAG_VALUE_PATTERN,
  TIME_OF_DAY_PATTERN,
  TIME_ZONE_PATTERN,
  USERNAME_PATTERN,
  USERS_PER_BROKER,
} from '../../amazonmq/catalog';
import * as names from '../../contract/names';
import { PLATFORM_TAG_PREFIX, PLATFORM_TAGS_PER_SECRET } from '../../contract/tags';
import { brokerName, clientProtocols } from '../resolve';
import { utcOffsets } from '../rotation-schedule';
import { USER_RULES } from './user-rules';
import { at, list, parseIpv4Cidr } from './problem';
import { brokerRule, type BrokerRule, type BrokerRuleContext } from './rule';
import { ldapAuthentication } from './ldap-rules';

/**
 * An IAM role ARN as `aws:PrincipalArn` reports it for the role's sessions: partition, 12-digit
 * account, optional path, name of 1 to 64 of [A-Za-z0-9+=,.@_-]. Wildcards are refused: a reader
 * is one role. Sources: IAM_ROLE_ARN_SOURCE and reference_iam-quotas.html (role names).
 */
const IAM_ROLE_ARN = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/([\x21-\x29\x2b-\x3e\x40-\x7e]*\/)?[\w+=,.@-]{1,64}$/;
const IAM_ROLE_ARN_SOURCE = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns';
/** Source: https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_PutResourcePolicy.html (ResourcePolicy length). */
const SECRET_POLICY_MAX_LENGTH = 20480;

const p = (ctx: BrokerRuleContext, ...rest: Array<string | number>) => at('brokers', ctx.index, ...rest);

function availableSubnets(ctx: BrokerRuleContext): number {
  const n = ctx.config.network;
  return n.mode === 'create' ? n.availabilityZones.length : n.subnetIds.length;
}

export const BROKER_RULES: readonly BrokerRule[] = [
  brokerRule('broker-name', SOURCES.cfnBroker, (b, ctx, report) => {
    const full = brokerName(b, ctx.config.environment);
    if (b.name === '') {
      report(
        p(ctx, 'name'),
        b.name,
        `is empty; allowed: 1 to ${49 - ctx.config.environment.length} letters, digits, "-" and "_" (the Amazon MQ name is the name plus "-${ctx.config.environment}")`,
      );
    } else if (!BROKER_NAME_PATTERN.test(full)) {
      report(
        p(ctx, 'name'),
        b.name,
        `gives the Amazon MQ name "${full}", which is not accepted; allowed: 1 to 50 letters, digits, "-" and "_" in all (the name plus "-${ctx.config.environment}")`,
      );
    }
  }),

  brokerRule('engine-version', SOURCES.activeMqVersions, (b, ctx, report) => {
    const allowed = ENGINE_VERSIONS[b.engine];
    if (!allowed.includes(b.engineVersion)) {
      report(
        p(ctx, 'engineVersion'),
        b.engineVersion,
        `is not accepted for new ${b.engine} brokers; allowed: ${list(allowed)} (major.minor only; older versions are at or past end of support)`,
      );
    }
  }),

  brokerRule('deployment-mode', SOURCES.cfnBroker, (b, ctx, report) => {
    const allowed = DEPLOYMENT_MODES_BY_ENGINE[b.engine];
    if (!allowed.includes(b.deploymentMode)) {
      report(p(ctx, 'deploymentMode'), b.deploymentMode, `is not a ${b.engine} deployment mode; allowed: ${list(allowed)}`);
    }
  }),

  brokerRule('instance-type', SOURCES.activeMqInstances, (b, ctx, report) => {
    const forEngine = INSTANCE_TYPE_RULES.filter((r) => r.engine === b.engine);
    const known = ENGINE_VERSIONS[b.engine].includes(b.engineVersion) && DEPLOYMENT_MODES_BY_ENGINE[b.engine].includes(b.deploymentMode);
    // With a bad version or mode (reported by their own rules) only the engine can be checked.
    const fits = known ? forEngine.filter((r) => r.versions.includes(b.engineVersion) && r.modes.includes(b.deploymentMode)) : forEngine;
    if (!fits.some((r) => r.instanceTypes.includes(b.instanceType))) {
      const allowed = [...new Set(fits.flatMap((r) => r.instanceTypes))];
      const scope = known ? `${b.engine} ${b.engineVersion} ${b.deploymentMode}` : `${b.engine}`;
      report(p(ctx, 'instanceType'), b.instanceType, `is not available for ${scope}; allowed: ${list(allowed)}`);
    }
  }),

  brokerRule('storage-type', SOURCES.activeStandby, (b, ctx, report) => {
    const r = ctx.resolved;
    const byMode = STORAGE_BY_ENGINE_MODE[b.engine][b.deploymentMode] ?? ['EBS', 'EFS'];
    const byInstance = INSTANCE_TYPE_RULES.find((i) => i.engine === b.engine && i.instanceTypes.includes(b.instanceType))?.storage ?? [
      'EBS',
      'EFS',
    ];
    const allowed = byMode.filter((s) => byInstance.includes(s));
    if (!allowed.includes(r.storageType)) {
      report(
        p(ctx, 'storageType'),
        r.storageType,
        `is not supported by ${b.engine} ${b.deploymentMode} on ${b.instanceType}; allowed: ${list(allowed)}`,
      );
    }
  }),

  brokerRule('subnets', SOURCES.cfnBroker, (b, ctx, report) => {
    const need = SUBNETS_BY_MODE[b.deploymentMode].min;
    const have = availableSubnets(ctx);
    if (have > 0 && have < need) {
      // no subnets at all is the network rule's finding
      report(
        p(ctx, 'deploymentMode'),
        b.deploymentMode,
        `needs ${need} private subnets in different availability zones; the network has ${have}`,
      );
    }
  }),

  // ActiveMQ: every application credential is a pair of broker users, all in the broker resource.
  // RabbitMQ: only the administrator is (rule administrator); application users are any number.
  brokerRule('users-count', SOURCES.cfnBroker, (b, ctx, report) => {
    if (b.engine !== 'ACTIVEMQ' || ldapAuthentication(b)) return; // LDAP: rule ldap-users
    const { min, max } = USERS_PER_BROKER[b.engine];
    const pairs = Math.floor(max / 2);
    if (b.users.length < min || b.users.length > pairs) {
      report(
        p(ctx, 'users'),
        b.users.map((u) => u.username),
        `has ${b.users.length} users; ACTIVEMQ brokers take ${min} to ${pairs} (each is an alternating pair of the ${max} broker users a broker takes)`,
      );
    }
  }),

  brokerRule('username', SOURCES.cfnUser, (b, ctx, report) => {
    const seen = new Set<string>();
    b.users.forEach((u, i) => {
      const path = p(ctx, 'users', i, 'username');
      if (!USERNAME_PATTERN[b.engine].test(u.username)) {
        const chars = b.engine === 'ACTIVEMQ' ? 'letters, digits, "-", ".", "_" and "~"' : 'letters, digits, "-", "." and "_"';
        report(path, u.username, `is not a valid ${b.engine} username; allowed: 2 to 100 ${chars}`);
      } else if (b.engine === 'RABBITMQ' && u.username.toLowerCase() === 'guest') {
        report(path, u.username, 'is reserved by RabbitMQ; allowed: any other username');
      }
      if (seen.has(u.username)) report(path, u.username, 'is a duplicate; allowed: each username once');
      seen.add(u.username);
    });
  }),

  brokerRule('secret-readers', IAM_ROLE_ARN_SOURCE, (b, ctx, report) => {
    b.users.forEach((u, i) => {
      const seen = new Set<string>();
      (u.readers ?? []).forEach((arn, j) => {
        const path = p(ctx, 'users', i, 'readers', j);
        if (!IAM_ROLE_ARN.test(arn)) {
          report(
            path,
            arn,
            'is not an IAM role ARN; allowed: arn:aws:iam::<12-digit account>:role/<optional path/><name of 1 to 64 letters, digits and +=,.@_->, no wildcards',
          );
        } else if (seen.has(arn)) {
          report(path, arn, 'is listed twice; allowed: each role once');
        }
        seen.add(arn);
      });
      // Each reader is named twice (allow and deny); the rest of the policy is under 1,500 characters.
      const size = 1500 + 2 * (u.readers ?? []).reduce((n, arn) => n + arn.length + 3, 0);
      if (size > SECRET_POLICY_MAX_LENGTH) {
        report(
          p(ctx, 'users', i, 'readers'),
          `${u.readers?.length} readers`,
          `make the secret's resource policy about ${size} characters; allowed: at most ${SECRET_POLICY_MAX_LENGTH} (Secrets Manager PutResourcePolicy), so name fewer roles`,
        );
      }
    });
  }),

  brokerRule('activemq-only-user-fields', SOURCES.cfnUser, (b, ctx, report) => {
    b.users.forEach((u, i) => {
      if (b.engine === 'RABBITMQ') {
        if (u.consoleAccess !== undefined)
          report(p(ctx, 'users', i, 'consoleAccess'), u.consoleAccess, 'does not apply to RabbitMQ users; allowed: remove the field');
        if (u.groups !== undefined)
          report(p(ctx, 'users', i, 'groups'), u.groups, 'does not apply to RabbitMQ users; allowed: remove the field');
        return;
      }
      const groups = u.groups ?? [];
      if (groups.length > MAX_GROUPS_PER_USER) {
        report(p(ctx, 'users', i, 'groups'), groups, `has ${groups.length} groups; allowed: at most ${MAX_GROUPS_PER_USER}`);
      }
      groups.forEach((g, j) => {
        if (!GROUP_NAME_PATTERN.test(g))
          report(p(ctx, 'users', i, 'groups', j), g, 'is not a valid group name; allowed: 2 to 100 letters, digits, "-", ".", "_" and "~"');
      });
    });
  }),

  // RabbitMQ has no audit log (the Audit key is ActiveMQ only); false says so and is never sent.
  brokerRule('audit-logs', SOURCES.cfnLogs, (b, ctx, report) => {
    if (b.engine === 'RABBITMQ' && b.logs?.audit === true) {
      report(
        p(ctx, 'logs', 'audit'),
        b.logs.audit,
        'does not apply to RabbitMQ brokers (Amazon MQ has audit logs for ActiveMQ only); allowed: false, or remove the field',
      );
    }
  }),

  // Each user's password lives in the secret mq-platform/<environment>/<broker>/<username>.
  brokerRule('secret-name', SOURCES.secretName, (b, ctx, report) => {
    b.users.forEach((u, i) => {
      const name = names.secretName(ctx.config.environment, b.name, u.username);
      if (USERNAME_PATTERN[b.engine].test(u.username) && !SECRET_NAME_PATTERN.test(name)) {
        report(
          p(ctx, 'users', i, 'username'),
          u.username,
          `is a valid ${b.engine} username but cannot be part of its Secrets Manager secret name "${name}"; allowed: 2 to 100 letters, digits, "-", "." and "_" (Secrets Manager names take no "~")`,
        );
      }
    });
  }),

  brokerRule('maintenance-window', SOURCES.cfnMaintenance, (b, ctx, report) => {
    const w = b.maintenanceWindow;
    if (!w) return;
    if (!TIME_OF_DAY_PATTERN.test(w.timeOfDay)) {
      report(p(ctx, 'maintenanceWindow', 'timeOfDay'), w.timeOfDay, 'is not a 24-hour time; allowed: "HH:MM" from "00:00" to "23:59"');
    }
    if (w.timeZone !== undefined && !TIME_ZONE_PATTERN.test(w.timeZone)) {
      report(
        p(ctx, 'maintenanceWindow', 'timeZone'),
        w.timeZone,
        'is not a time zone; allowed: "UTC", a UTC offset such as "UTC+02:00", or an IANA name such as "Europe/Berlin"',
      );
    }
  }),

  // ActiveMQ user changes apply only at a reboot (SOURCES.brokerConfigurations); a single instance is down meanwhile.
  brokerRule('rotation-reboot-opt-in', SOURCES.brokerConfigurations, (b, ctx, report) => {
    const optIn = b.rotation?.acceptRebootDowntime;
    // LDAP brokers have no broker users to rotate, so no reboot (rule ldap-rotation).
    const single = b.engine === 'ACTIVEMQ' && b.deploymentMode === 'SINGLE_INSTANCE' && !ldapAuthentication(b);
    const path = p(ctx, 'rotation', 'acceptRebootDowntime');
    if (single && optIn !== true) {
      report(
        path,
        optIn,
        'must be true for a single-instance ActiveMQ broker: each credential rotation reboots it (minutes of downtime) in its maintenance window; allowed: true, or deploymentMode ACTIVE_STANDBY_MULTI_AZ (see docs/rotation.md)',
      );
    } else if (b.engine === 'RABBITMQ' && optIn !== undefined) {
      report(path, optIn, 'does not apply to RabbitMQ brokers (their rotation never reboots them); allowed: remove the field');
    }
  }),

  // Rotation windows are UTC and open on the hour (SOURCES.rotationSchedule); maintenance windows last two hours (SOURCES.maintenanceWindow).
  // Only ActiveMQ rotates inside the window (its reboot); RabbitMQ rotates 12 hours after it starts.
  brokerRule('rotation-window', SOURCES.rotationSchedule, (b, ctx, report) => {
    const w = b.maintenanceWindow;
    if (!w || !TIME_OF_DAY_PATTERN.test(w.timeOfDay) || (w.timeZone !== undefined && !TIME_ZONE_PATTERN.test(w.timeZone))) return;
    const timeZone = w.timeZone ?? 'UTC';
    if (!utcOffsets(timeZone)) {
      report(
        p(ctx, 'maintenanceWindow', 'timeZone'),
        timeZone,
        'is not in the time zone database; allowed: "UTC", a UTC offset such as "UTC+02:00", or an IANA name such as "Europe/Berlin"',
      );
    } else if (!ctx.resolved.rotation.window) {
      report(
        p(ctx, 'maintenanceWindow', 'timeOfDay'),
        w.timeOfDay,
        `leaves no whole UTC hour inside the two-hour maintenance window in both winter and summer time of ${timeZone}, so credentials could not rotate in it; allowed: a time on the hour, such as "${w.timeOfDay.slice(0, 2)}:00"`,
      );
    }
  }),

  brokerRule('protocols', SOURCES.cfnBroker, (b, ctx, report) => {
    const allowed = Object.keys(PROTOCOL_PORTS[b.engine]);
    const check = (path: string, protocols: readonly string[] | undefined) => {
      (protocols ?? []).forEach((proto, i) => {
        if (!allowed.includes(proto)) report(at(path, i), proto, `is not a ${b.engine} protocol; allowed: ${list(allowed)}`);
      });
      if (protocols && new Set(protocols).size !== protocols.length)
        report(path, protocols, 'lists a protocol twice; allowed: each protocol once');
    };
    check(p(ctx, 'protocols'), b.protocols);
    if (b.protocols && b.protocols.length === 0)
      report(p(ctx, 'protocols'), b.protocols, `is empty; allowed: at least one of ${list(allowed)}`);
    const brokerProtocols = ctx.resolved.protocols;
    (b.clients ?? []).forEach((c, i) => {
      check(p(ctx, 'clients', i, 'protocols'), c.protocols);
      (c.protocols ?? []).forEach((proto, j) => {
        if (allowed.includes(proto) && !brokerProtocols.includes(proto)) {
          report(
            p(ctx, 'clients', i, 'protocols', j),
            proto,
            `is not enabled on this broker; allowed: ${list(brokerProtocols)} (or add it to brokers[${ctx.index}].protocols)`,
          );
        }
      });
    });
  }),

  brokerRule('clients', SOURCES.vpcQuotas, (b, ctx, report) => {
    const names = new Set<string>();
    (b.clients ?? []).forEach((c, i) => {
      const path = p(ctx, 'clients', i);
      if (!/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/.test(c.name))
        report(at(path, 'name'), c.name, 'is not a client name; allowed: 1 to 64 letters, digits, spaces, ".", "_" and "-"');
      if (names.has(c.name)) report(at(path, 'name'), c.name, 'is a duplicate; allowed: each client name once per broker');
      names.add(c.name);
      if ((c.cidr === undefined) === (c.securityGroupId === undefined)) {
        report(path, { cidr: c.cidr, securityGroupId: c.securityGroupId }, 'must name exactly one of cidr or securityGroupId');
      }
      if (c.cidr !== undefined) {
        const parsed = parseIpv4Cidr(c.cidr);
        if (/\/0+$/.test(c.cidr))
          report(
            at(path, 'cidr'),
            c.cidr,
            'opens the broker to the world; allowed: the CIDR of a named client network (never 0.0.0.0/0 or ::/0)',
          );
        else if (!parsed) report(at(path, 'cidr'), c.cidr, 'is not an IPv4 CIDR; allowed: "a.b.c.d/n", for example "10.20.0.0/16"');
        else if (parsed.prefix < 8)
          report(
            at(path, 'cidr'),
            c.cidr,
            'opens the broker to the world or a large part of it; allowed: a named client range with a prefix of /8 or longer (never 0.0.0.0/0)',
          );
      }
      if (c.securityGroupId !== undefined && !/^sg-[0-9a-f]{8,17}$/.test(c.securityGroupId)) {
        report(at(path, 'securityGroupId'), c.securityGroupId, 'is not a security group id; allowed: "sg-" and 8 or 17 hex digits');
      }
    });
  }),

  brokerRule('security-group-rules', SOURCES.vpcQuotas, (b, ctx, report) => {
    const r = ctx.resolved;
    const rules = r.clients.reduce((n, c) => n + clientProtocols(r, c).length, 0);
    if (rules > MAX_INGRESS_RULES_PER_SECURITY_GROUP) {
      report(
        p(ctx, 'clients'),
        `${r.clients.length} clients`,
        `need ${rules} inbound rules; allowed: at most ${MAX_INGRESS_RULES_PER_SECURITY_GROUP} per security group (fewer clients or protocols per client)`,
      );
    }
  }),

  ...USER_RULES,

  // The broker's tags reach the broker, its key, security group (EC2), secrets and alarms.
  brokerRule('tags', SOURCES.quotas, (b, ctx, report) => {
    const tags = { ...(ctx.config.tags ?? {}), ...(b.tags ?? {}) };
    // Ours: PLATFORM_TAGS_PER_SECRET on each secret, and every broker has one (users or administrator).
    const count = Object.keys(tags).length + PLATFORM_TAGS_PER_SECRET;
    const envOnly = Object.keys(ctx.config.tags ?? {}).length + PLATFORM_TAGS_PER_SECRET;
    if (count > MAX_TAGS_PER_BROKER && envOnly <= MAX_TAGS_PER_BROKER) {
      // else the environment-tags rule reports it
      report(
        p(ctx, 'tags'),
        `${count} tags`,
        `is too many with the environment's tags and the platform's own (mq-platform:environment, mq-platform:broker, mq-platform:username, mq-platform:secret-kind); allowed: at most ${MAX_TAGS_PER_BROKER} per resource`,
      );
    }
    checkTags(p(ctx, 'tags'), b.tags, report);
  }),
];

/**
 * Tag keys and values that every resource receiving them accepts: the EC2 limits (security
 * groups, VPC) are the tightest (SOURCES.ec2Tags, SOURCES.tagging); keys starting with "aws:" are
 * reserved for AWS and "mq-platform:" for the platform's own tags.
 */
export function checkTags(
  path: string,
  tags: Readonly<Record<string, string>> | undefined,
  report: (path: string, value: unknown, message: string) => void,
): void {
  const { key: maxKey, value: maxValue } = TAG_LENGTHS.ec2;
  for (const [key, value] of Object.entries(tags ?? {})) {
    const keyPath = at(path, key);
    const lower = key.toLowerCase();
    if (lower.startsWith(RESERVED_TAG_PREFIX)) {
      report(keyPath, key, `starts with "${RESERVED_TAG_PREFIX}", which is reserved for AWS; allowed: any other key`);
    } else if (lower.startsWith(PLATFORM_TAG_PREFIX)) {
      report(keyPath, key, `starts with "${PLATFORM_TAG_PREFIX}", which is reserved for the platform's own tags; allowed: any other key`);
    } else if (!TAG_KEY_PATTERN.test(key)) {
      report(keyPath, key, 'is not a tag key; allowed: 1 to 127 letters, digits, spaces and _ . : / = + - @');
    } else if ([...key].length > maxKey) {
      report(
        keyPath,
        key,
        `is ${[...key].length} characters long; allowed: at most ${maxKey} (the limit of EC2 security groups and VPCs, which receive it)`,
      );
    }
    if (typeof value !== 'string') continue;
    if (!TAG_VALUE_PATTERN.test(value)) {
      report(keyPath, value, 'is not a tag value; allowed: letters, digits, spaces and _ . : / = + - @');
    } else if ([...value].length > maxValue) {
      report(
        keyPath,
        value,
        `is ${[...value].length} characters long; allowed: at most ${maxValue} (the limit of EC2 security groups and VPCs, which receive it)`,
      );
    }
  }
}

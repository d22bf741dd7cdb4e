import { RegionInfo } from 'aws-cdk-lib/region-info';
import { PLATFORM_TAGS_PER_SECRET } from '../../contract/tags';
import { BROKER_NAME_PATTERN, MAX_BROKERS_PER_REGION, MAX_TAGS_PER_RESOURCE, SOURCES, TAG_KEY_PATTERN } from '../../amazonmq/catalog';
import * as names from '../../contract/names';
import { checkTags } from './broker-rules';
import type { Engine, MqPlatformConfig } from '../schema';
import { at, list, parseIpv4Cidr } from './problem';
import { environmentRule, type EnvironmentRule, type Report } from './rule';

/** CloudWatch Logs retention values (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html). */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/** Every region of every partition, from the partition data aws-cdk-lib ships (offline). */
export const KNOWN_REGIONS: readonly string[] = RegionInfo.regions.map((r) => r.name).sort();

/** Output ids and alarm stack names derived from a broker name (lib/contract/names). */
function derivedIds(name: string): { outputPrefix: string; alarmsStack: string } {
  return { outputPrefix: names.outputIdPrefix(name), alarmsStack: names.alarmStackPart(name) };
}

function checkAvailabilityZones(c: MqPlatformConfig, path: string, azs: readonly string[], report: Report) {
  if (!KNOWN_REGIONS.includes(c.region)) return; // the region rule reports it
  azs.forEach((az, i) => {
    if (!new RegExp(`^${c.region}[a-z]$`).test(az)) {
      report(at(path, i), az, `is not an availability zone of ${c.region}; allowed: "${c.region}a", "${c.region}b", ...`);
    }
  });
  if (new Set(azs).size !== azs.length) report(path, azs, 'lists an availability zone twice; allowed: each zone once');
}

/**
 * Findings of the Amazon MQ compliance pack (lib/compliance/amazonmq) that one config field causes,
 * so that the finding can name it and a config can acknowledge it (compliance.acknowledge). The
 * pack's other rules check what the platform always does (private, encrypted, no plaintext
 * password, ...): no config field causes them, so none acknowledges them.
 */
export const COMPLIANCE_CONFIG_FIELDS: Readonly<
  Record<string, { readonly field: string; readonly engine?: Engine; readonly environmentField?: string }>
> = {
  'AmazonMQ-MQ.2': { field: 'logs.audit', engine: 'ACTIVEMQ' },
  'AmazonMQ-MQ.4': { field: 'tags', environmentField: 'tags' },
  'AmazonMQ-MQ.5': { field: 'deploymentMode', engine: 'ACTIVEMQ' },
  'AmazonMQ-MQ.6': { field: 'deploymentMode', engine: 'RABBITMQ' },
  'AmazonMQ-MQP.4': { field: 'logs.general' },
  'AmazonMQ-MQP.7': { field: 'authentication', engine: 'RABBITMQ' },
};

/** The config paths that can cause a compliance rule's finding in this config. */
export function complianceConfigPaths(c: Pick<MqPlatformConfig, 'brokers'>, rule: string): string[] {
  const spec = COMPLIANCE_CONFIG_FIELDS[rule];
  if (!spec) return [];
  const paths = c.brokers.flatMap((b, i) => (b && (!spec.engine || b.engine === spec.engine) ? [at('brokers', i, spec.field)] : []));
  return spec.environmentField ? [spec.environmentField, ...paths] : paths;
}

export const ENVIRONMENT_RULES: readonly EnvironmentRule[] = [
  environmentRule('environment-name', SOURCES.cfnBroker, (c, report) => {
    if (!/^[a-z][a-z0-9-]{0,19}$/.test(c.environment)) {
      report(
        'environment',
        c.environment,
        'is not an environment name; allowed: 1 to 20 lower-case letters, digits and "-", starting with a letter',
      );
    }
  }),

  environmentRule('region', SOURCES.regions, (c, report) => {
    if (!KNOWN_REGIONS.includes(c.region)) report('region', c.region, `is not an AWS region; allowed: ${list(KNOWN_REGIONS)}`);
  }),

  // Environment tags reach every resource of every stack, EC2 ones included, beside mq-platform:environment.
  environmentRule('environment-tags', SOURCES.tagging, (c, report) => {
    // A secret carries the most of ours: mq-platform:environment, :broker, :username and :secret-kind.
    const count = Object.keys(c.tags ?? {}).length + PLATFORM_TAGS_PER_SECRET;
    if (count > MAX_TAGS_PER_RESOURCE) {
      report(
        'tags',
        `${count} tags`,
        `is too many with the platform's own (mq-platform:environment, mq-platform:broker, mq-platform:username, mq-platform:secret-kind on each secret); allowed: at most ${MAX_TAGS_PER_RESOURCE} per resource`,
      );
    }
    checkTags('tags', c.tags, report);
  }),

  environmentRule('account', 'https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-identifiers.html', (c, report) => {
    if (c.account !== undefined && !/^\d{12}$/.test(c.account))
      report('account', c.account, 'is not an AWS account id; allowed: 12 digits');
  }),

  environmentRule('network-created-vpc', SOURCES.vpcSizing, (c, report) => {
    const n = c.network;
    if (n.mode !== 'create') return;
    const vpc = parseIpv4Cidr(n.cidr);
    if (!vpc || vpc.prefix < 16 || vpc.prefix > 28) {
      report('network.cidr', n.cidr, 'is not a VPC CIDR; allowed: an IPv4 block from /16 to /28, for example "10.20.0.0/16"');
    }
    if (n.availabilityZones.length < 1 || n.availabilityZones.length > 6) {
      report(
        'network.availabilityZones',
        n.availabilityZones,
        'has the wrong number of zones; allowed: 1 to 6 (2 or 3 for multi-AZ brokers)',
      );
    }
    checkAvailabilityZones(c, 'network.availabilityZones', n.availabilityZones, report);
    const mask = n.subnetCidrMask ?? 24;
    if (vpc && (mask < vpc.prefix || mask > 28 || 2 ** (mask - vpc.prefix) < n.availabilityZones.length)) {
      report(
        'network.subnetCidrMask',
        mask,
        `does not fit ${n.availabilityZones.length} subnets in ${n.cidr}; allowed: ${vpc.prefix + Math.ceil(Math.log2(Math.max(1, n.availabilityZones.length)))} to 28`,
      );
    }
    // Control Tower CT.CLOUDWATCH.PR.2 wants log groups kept for at least a year.
    const retentions = LOG_RETENTION_DAYS.filter((d) => d >= 365);
    if (n.flowLogRetentionDays !== undefined && !retentions.includes(n.flowLogRetentionDays)) {
      report(
        'network.flowLogRetentionDays',
        n.flowLogRetentionDays,
        `is not a CloudWatch Logs retention of a year or more (Control Tower CT.CLOUDWATCH.PR.2); allowed: ${list(retentions)}`,
      );
    }
  }),

  environmentRule('network-imported-vpc', SOURCES.cfnBroker, (c, report) => {
    const n = c.network;
    if (n.mode !== 'import') return;
    if (!/^vpc-[0-9a-f]{8,17}$/.test(n.vpcId)) report('network.vpcId', n.vpcId, 'is not a VPC id; allowed: "vpc-" and 8 or 17 hex digits');
    if (!parseIpv4Cidr(n.cidr)) report('network.cidr', n.cidr, 'is not an IPv4 CIDR; allowed: "a.b.c.d/n"');
    n.subnetIds.forEach((id, i) => {
      if (!/^subnet-[0-9a-f]{8,17}$/.test(id))
        report(at('network.subnetIds', i), id, 'is not a subnet id; allowed: "subnet-" and 8 or 17 hex digits');
    });
    if (n.subnetIds.length !== n.availabilityZones.length || n.subnetIds.length === 0) {
      report(
        'network.subnetIds',
        n.subnetIds,
        `must list one subnet per availability zone, in the same order (${n.availabilityZones.length} zones given)`,
      );
    }
    checkAvailabilityZones(c, 'network.availabilityZones', n.availabilityZones, report);
  }),

  environmentRule('required-tag-keys', 'https://docs.aws.amazon.com/securityhub/latest/userguide/mq-controls.html#mq-4', (c, report) => {
    const keys = c.compliance?.requiredTagKeys ?? [];
    keys.forEach((key, i) => {
      // A key the tags rules would refuse could never be carried (EC2's 127 characters included).
      if (!TAG_KEY_PATTERN.test(key) || [...key].length > 127 || /^(aws|mq-platform):/i.test(key)) {
        report(
          at('compliance.requiredTagKeys', i),
          key,
          'is not a tag key; allowed: 1 to 127 letters, digits, spaces and _ . : / = + - @, not starting with "aws:" or "mq-platform:"',
        );
      }
    });
    if (new Set(keys).size !== keys.length) report('compliance.requiredTagKeys', keys, 'lists a key twice; allowed: each key once');
  }),

  // Our own rule (lib/compliance): each entry accepts one finding of one config field, with a reason.
  environmentRule('compliance-acknowledge', 'https://docs.aws.amazon.com/securityhub/latest/userguide/mq-controls.html', (c, report) => {
    const seen = new Set<string>();
    (c.compliance?.acknowledge ?? []).forEach((a, i) => {
      const path = at('compliance.acknowledge', i);
      if (!COMPLIANCE_CONFIG_FIELDS[a.rule]) {
        report(
          at(path, 'rule'),
          a.rule,
          `is not a finding that a config field causes; allowed: ${list(Object.keys(COMPLIANCE_CONFIG_FIELDS))} (the pack's other rules check what the platform always does)`,
        );
      } else {
        const paths = complianceConfigPaths(c, a.rule);
        if (!paths.includes(a.path))
          report(at(path, 'path'), a.path, `is not a config field that causes ${a.rule} here; allowed: ${list(paths)}`);
      }
      if (a.reason.trim().length < 10)
        report(
          at(path, 'reason'),
          a.reason,
          'does not say why; allowed: a reason of at least 10 characters, shown in the compliance report',
        );
      const key = `${a.rule} ${a.path}`;
      if (seen.has(key)) report(path, key, 'acknowledges the same finding twice; allowed: one entry per rule and path');
      seen.add(key);
    });
  }),

  // Our own rule (lib/review/replacement-guard.ts): each entry allows one named resource, with a reason.
  environmentRule('allow-replacement', 'docs/review.md', (c, report) => {
    const seen = new Set<string>();
    (c.allowReplacement ?? []).forEach((a, i) => {
      const path = at('allowReplacement', i);
      if ((a.broker === undefined) === (a.logicalId === undefined)) {
        report(path, { broker: a.broker, logicalId: a.logicalId }, 'must name exactly one of broker or logicalId');
      }
      if (a.broker !== undefined && !/^[0-9A-Za-z_-]{1,50}$/.test(a.broker)) {
        report(
          at(path, 'broker'),
          a.broker,
          'is not a broker name; allowed: the name of a broker as in brokers[].name (it may be one this change removes)',
        );
      }
      if (a.logicalId !== undefined && !/^[A-Za-z0-9]{1,255}$/.test(a.logicalId)) {
        report(
          at(path, 'logicalId'),
          a.logicalId,
          'is not a CloudFormation logical id; allowed: letters and digits, as `npm run review` prints it',
        );
      }
      if (a.reason.trim().length < 10) {
        report(at(path, 'reason'), a.reason, 'does not say why; allowed: a reason of at least 10 characters, shown in the review');
      }
      if (a.property !== undefined && !/^([A-Z][A-Za-z0-9]{0,127}|removal)$/.test(a.property)) {
        report(
          at(path, 'property'),
          a.property,
          'is not a CloudFormation property name; allowed: a property as `npm run review` prints it (for example "DeploymentMode"), or "removal"',
        );
      }
      const key = `${a.broker !== undefined ? `broker:${a.broker}` : `logicalId:${a.logicalId}`}/${a.property ?? '*'}`;
      if (seen.has(key))
        report(path, a.broker ?? a.logicalId, 'allows the same resource and property twice; allowed: one entry per resource and property');
      seen.add(key);
    });
    if (c.allowReplacement?.length && !c.protected) {
      report(
        'allowReplacement',
        c.allowReplacement.map((a) => a.broker ?? a.logicalId),
        'has no effect: the environment is not protected; allowed: remove it, or set "protected": true',
      );
    }
  }),

  // Our own rule (lib/review/protection-guard.ts): each unlock names one protection change, with a reason.
  environmentRule('unlock', 'docs/review.md', (c, report) => {
    const seen = new Set<string>();
    (c.unlock ?? []).forEach((u, i) => {
      if (u.reason.trim().length < 10) {
        report(at('unlock', i, 'reason'), u.reason, 'does not say why; allowed: a reason of at least 10 characters, shown in the review');
      }
      if (u.change === 'protection' && c.protected) {
        report(at('unlock', i, 'change'), u.change, 'has no effect: "protected" is true; allowed: remove it, or set "protected": false');
      }
      if (seen.has(u.change)) report(at('unlock', i, 'change'), u.change, 'is unlocked twice; allowed: each change once');
      seen.add(u.change);
    });
  }),

  environmentRule('brokers', SOURCES.quotas, (c, report) => {
    if (c.brokers.length === 0) report('brokers', c.brokers, 'is empty; allowed: 1 or more brokers');
    // An adjustable quota (and the pages disagree: 50 or 200), so a warning, not a refusal.
    if (c.brokers.length > MAX_BROKERS_PER_REGION) {
      report(
        'brokers',
        `${c.brokers.length} brokers`,
        `is more than the default Amazon MQ quota of ${MAX_BROKERS_PER_REGION} brokers per account and region (adjustable, and shared with brokers outside this config); allowed: up to ${MAX_BROKERS_PER_REGION}, or more once AWS has raised the quota`,
        'warning',
      );
    }
    const seen = new Set<string>();
    c.brokers.forEach((b, i) => {
      if (b && typeof b.name === 'string' && BROKER_NAME_PATTERN.test(b.name)) {
        if (seen.has(b.name)) report(at('brokers', i, 'name'), b.name, 'is a duplicate; allowed: each broker name once per environment');
        seen.add(b.name);
      }
    });
  }),

  // Brokers become construct ids, CloudFormation output ids and alarm stack names; a clash there
  // would end synth in a construct error instead of a message.
  environmentRule(
    'broker-derived-names',
    'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/outputs-section-structure.html',
    (c, report) => {
      const seen: Array<{ index: number; name: string; ids: ReturnType<typeof derivedIds> }> = [];
      c.brokers.forEach((b, i) => {
        if (!b || typeof b.name !== 'string' || b.name === '') return;
        const ids = derivedIds(b.name);
        const clash = seen.find(
          (s) => s.name !== b.name && (s.ids.outputPrefix === ids.outputPrefix || s.ids.alarmsStack === ids.alarmsStack),
        );
        if (clash) {
          report(
            at('brokers', i, 'name'),
            b.name,
            `gives the same stack output ids ("${ids.outputPrefix}BrokerId") or alarms stack name as brokers[${clash.index}].name "${clash.name}"; allowed: broker names that differ in more than upper/lower case, "-" and "_"`,
          );
        }
        seen.push({ index: i, name: b.name, ids });
      });
    },
  ),
];

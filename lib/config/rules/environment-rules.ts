import { BROKER_NAME_PATTERN, MAX_BROKERS_PER_REGION, SOURCES, TAG_KEY_PATTERN } from '../../amazonmq/catalog';
import type { MqPlatformConfig } from '../schema';
import { at, list, parseIpv4Cidr } from './problem';
import { environmentRule, type EnvironmentRule, type Report } from './rule';

/** CloudWatch Logs retention values (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html). */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

const REGION_PATTERN = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d{1,2}$/;

function checkAvailabilityZones(c: MqPlatformConfig, path: string, azs: readonly string[], report: Report) {
  if (!REGION_PATTERN.test(c.region)) return; // the region rule reports it
  azs.forEach((az, i) => {
    if (!new RegExp(`^${c.region}[a-z]$`).test(az)) {
      report(at(path, i), az, `is not an availability zone of ${c.region}; allowed: "${c.region}a", "${c.region}b", ...`);
    }
  });
  if (new Set(azs).size !== azs.length) report(path, azs, 'lists an availability zone twice; allowed: each zone once');
}

export const ENVIRONMENT_RULES: readonly EnvironmentRule[] = [
  environmentRule('environment-name', SOURCES.cfnBroker, (c, report) => {
    if (!/^[a-z][a-z0-9-]{0,19}$/.test(c.environment)) {
      report('environment', c.environment, 'is not an environment name; allowed: 1 to 20 lower-case letters, digits and "-", starting with a letter');
    }
  }),

  environmentRule('region', 'https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html', (c, report) => {
    if (!REGION_PATTERN.test(c.region)) report('region', c.region, 'is not an AWS region name; allowed: for example "eu-west-1" or "us-east-2"');
  }),

  environmentRule('account', 'https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-identifiers.html', (c, report) => {
    if (c.account !== undefined && !/^\d{12}$/.test(c.account)) report('account', c.account, 'is not an AWS account id; allowed: 12 digits');
  }),

  environmentRule('network-created-vpc', SOURCES.vpcSizing, (c, report) => {
    const n = c.network;
    if (n.mode !== 'create') return;
    const vpc = parseIpv4Cidr(n.cidr);
    if (!vpc || vpc.prefix < 16 || vpc.prefix > 28) {
      report('network.cidr', n.cidr, 'is not a VPC CIDR; allowed: an IPv4 block from /16 to /28, for example "10.20.0.0/16"');
    }
    if (n.availabilityZones.length < 1 || n.availabilityZones.length > 6) {
      report('network.availabilityZones', n.availabilityZones, 'has the wrong number of zones; allowed: 1 to 6 (2 or 3 for multi-AZ brokers)');
    }
    checkAvailabilityZones(c, 'network.availabilityZones', n.availabilityZones, report);
    const mask = n.subnetCidrMask ?? 24;
    if (vpc && (mask < vpc.prefix || mask > 28 || 2 ** (mask - vpc.prefix) < n.availabilityZones.length)) {
      report('network.subnetCidrMask', mask, `does not fit ${n.availabilityZones.length} subnets in ${n.cidr}; allowed: ${vpc.prefix + Math.ceil(Math.log2(Math.max(1, n.availabilityZones.length)))} to 28`);
    }
    // Control Tower CT.CLOUDWATCH.PR.2 wants log groups kept for at least a year.
    const retentions = LOG_RETENTION_DAYS.filter((d) => d >= 365);
    if (n.flowLogRetentionDays !== undefined && !retentions.includes(n.flowLogRetentionDays)) {
      report('network.flowLogRetentionDays', n.flowLogRetentionDays, `is not a CloudWatch Logs retention of a year or more (Control Tower CT.CLOUDWATCH.PR.2); allowed: ${list(retentions)}`);
    }
  }),

  environmentRule('network-imported-vpc', SOURCES.cfnBroker, (c, report) => {
    const n = c.network;
    if (n.mode !== 'import') return;
    if (!/^vpc-[0-9a-f]{8,17}$/.test(n.vpcId)) report('network.vpcId', n.vpcId, 'is not a VPC id; allowed: "vpc-" and 8 or 17 hex digits');
    if (!parseIpv4Cidr(n.cidr)) report('network.cidr', n.cidr, 'is not an IPv4 CIDR; allowed: "a.b.c.d/n"');
    n.subnetIds.forEach((id, i) => {
      if (!/^subnet-[0-9a-f]{8,17}$/.test(id)) report(at('network.subnetIds', i), id, 'is not a subnet id; allowed: "subnet-" and 8 or 17 hex digits');
    });
    if (n.subnetIds.length !== n.availabilityZones.length || n.subnetIds.length === 0) {
      report('network.subnetIds', n.subnetIds, `must list one subnet per availability zone, in the same order (${n.availabilityZones.length} zones given)`);
    }
    checkAvailabilityZones(c, 'network.availabilityZones', n.availabilityZones, report);
  }),

  environmentRule('required-tag-keys', 'https://docs.aws.amazon.com/securityhub/latest/userguide/mq-controls.html#mq-4', (c, report) => {
    const keys = c.compliance?.requiredTagKeys ?? [];
    keys.forEach((key, i) => {
      if (!TAG_KEY_PATTERN.test(key) || key.toLowerCase().startsWith('aws:')) {
        report(at('compliance.requiredTagKeys', i), key, 'is not a tag key; allowed: 1 to 128 letters, digits, spaces and _ . : / = + - @, not starting with "aws:"');
      }
    });
    if (new Set(keys).size !== keys.length) report('compliance.requiredTagKeys', keys, 'lists a key twice; allowed: each key once');
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
        report(at(path, 'broker'), a.broker, 'is not a broker name; allowed: the name of a broker as in brokers[].name (it may be one this change removes)');
      }
      if (a.logicalId !== undefined && !/^[A-Za-z0-9]{1,255}$/.test(a.logicalId)) {
        report(at(path, 'logicalId'), a.logicalId, 'is not a CloudFormation logical id; allowed: letters and digits, as `npm run review` prints it');
      }
      if (a.reason.trim().length < 10) {
        report(at(path, 'reason'), a.reason, 'does not say why; allowed: a reason of at least 10 characters, shown in the review');
      }
      const key = a.broker !== undefined ? `broker:${a.broker}` : `logicalId:${a.logicalId}`;
      if (seen.has(key)) report(path, a.broker ?? a.logicalId, 'allows the same resource twice; allowed: one entry per resource');
      seen.add(key);
    });
    if (c.allowReplacement?.length && !c.protected) {
      report('allowReplacement', c.allowReplacement.map((a) => a.broker ?? a.logicalId), 'has no effect: the environment is not protected; allowed: remove it, or set "protected": true');
    }
  }),

  environmentRule('brokers', SOURCES.quotas, (c, report) => {
    if (c.brokers.length === 0) report('brokers', c.brokers, 'is empty; allowed: 1 or more brokers');
    if (c.brokers.length > MAX_BROKERS_PER_REGION) report('brokers', `${c.brokers.length} brokers`, `is more than Amazon MQ allows; allowed: at most ${MAX_BROKERS_PER_REGION} per account and region`);
    const seen = new Set<string>();
    c.brokers.forEach((b, i) => {
      if (b && typeof b.name === 'string' && BROKER_NAME_PATTERN.test(b.name)) {
        if (seen.has(b.name)) report(at('brokers', i, 'name'), b.name, 'is a duplicate; allowed: each broker name once per environment');
        seen.add(b.name);
      }
    });
  }),
];

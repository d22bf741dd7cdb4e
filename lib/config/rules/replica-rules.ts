import { USERNAME_PATTERN } from '../../amazonmq/catalog';
import {
  CRDR_DEPLOYMENT_MODE,
  CRDR_INSTANCE_TYPES,
  CRDR_MIN_VERSION,
  CRDR_REGIONS,
  CRDR_SOURCES,
  crdrVersionSupported,
} from '../../amazonmq/crdr';
import { partnerUsername } from '../../contract/rotation';
import { KNOWN_REGIONS } from './environment-rules';
import { at, list, parseIpv4Cidr } from './problem';
import { brokerRule, type BrokerRule, type BrokerRuleContext } from './rule';

/**
 * Cross-Region data replication (brokers[].replica), from the CRDR pages of the Amazon MQ
 * developer guide (lib/amazonmq/crdr.ts). Same engine version and instance type on both sides hold
 * by construction: the replica has no fields of its own for them, the stacks copy the primary's.
 */
const p = (ctx: BrokerRuleContext, ...rest: Array<string | number>) => at('brokers', ctx.index, ...rest);

/** The documented alternative for RabbitMQ, quoted by the replica-engine rule and the README. */
export const RABBITMQ_REPLICA_ALTERNATIVE =
  'replicate between two RabbitMQ brokers with the federation plugin (federated exchanges or queues) or shovels, declared in the broker definitions (README "Many accounts and Regions")';

export const REPLICA_RULES: readonly BrokerRule[] = [
  brokerRule('replica-engine', CRDR_SOURCES.overview, (b, ctx, report) => {
    if (!b.replica || b.engine === 'ACTIVEMQ') return;
    report(
      p(ctx, 'replica'),
      b.replica.region,
      `is refused: Amazon MQ offers cross-Region data replication for ActiveMQ only, not for ${b.engine}; allowed: no replica on this broker — instead ${RABBITMQ_REPLICA_ALTERNATIVE}`,
    );
  }),

  brokerRule('replica-deployment-mode', CRDR_SOURCES.createReplica, (b, ctx, report) => {
    if (!b.replica || b.engine !== 'ACTIVEMQ' || b.deploymentMode === CRDR_DEPLOYMENT_MODE) return;
    report(
      p(ctx, 'deploymentMode'),
      b.deploymentMode,
      `cannot have a replica (brokers[${ctx.index}].replica): cross-Region data replication is only available for active/standby brokers with multi-availability zone deployment; allowed: ${CRDR_DEPLOYMENT_MODE}`,
    );
  }),

  brokerRule('replica-engine-version', CRDR_SOURCES.createReplica, (b, ctx, report) => {
    if (!b.replica || b.engine !== 'ACTIVEMQ' || crdrVersionSupported(b.engineVersion)) return;
    report(
      p(ctx, 'engineVersion'),
      b.engineVersion,
      `cannot have a replica (brokers[${ctx.index}].replica): cross-Region data replication needs ActiveMQ ${CRDR_MIN_VERSION} or later; allowed: 5.17 or later (both brokers run this version)`,
    );
  }),

  brokerRule('replica-instance-type', CRDR_SOURCES.createReplica, (b, ctx, report) => {
    if (!b.replica || b.engine !== 'ACTIVEMQ' || CRDR_INSTANCE_TYPES.includes(b.instanceType)) return;
    report(
      p(ctx, 'instanceType'),
      b.instanceType,
      `cannot have a replica (brokers[${ctx.index}].replica): cross-Region data replication needs mq.m5.large or larger; allowed: ${list(CRDR_INSTANCE_TYPES)} (both brokers run this type)`,
    );
  }),

  brokerRule('replica-region', CRDR_SOURCES.createReplica, (b, ctx, report) => {
    const r = b.replica;
    if (!r || b.engine !== 'ACTIVEMQ') return;
    if (!CRDR_REGIONS.includes(r.region)) {
      report(
        p(ctx, 'replica', 'region'),
        r.region,
        `is not a Region with cross-Region data replication; allowed: ${list(CRDR_REGIONS.filter((x) => x !== ctx.config.region))}`,
      );
    } else if (r.region === ctx.config.region) {
      report(
        p(ctx, 'replica', 'region'),
        r.region,
        `is the primary broker's own Region; allowed: another CRDR Region (${list(CRDR_REGIONS.filter((x) => x !== r.region))})`,
      );
    }
    if (KNOWN_REGIONS.includes(ctx.config.region) && !CRDR_REGIONS.includes(ctx.config.region)) {
      report(
        'region',
        ctx.config.region,
        `cannot hold a CRDR primary broker (brokers[${ctx.index}].replica): cross-Region data replication is not offered here; allowed: ${list(CRDR_REGIONS)}`,
      );
    }
  }),

  brokerRule('replica-availability-zones', CRDR_SOURCES.createReplica, (b, ctx, report) => {
    const r = b.replica;
    if (!r || b.engine !== 'ACTIVEMQ' || !CRDR_REGIONS.includes(r.region)) return;
    const path = p(ctx, 'replica', 'availabilityZones');
    if (r.availabilityZones.length < 2 || r.availabilityZones.length > 3) {
      report(path, r.availabilityZones, `names ${r.availabilityZones.length} zones; allowed: 2 or 3 (an active/standby replica needs two)`);
    }
    r.availabilityZones.forEach((az, i) => {
      if (!new RegExp(`^${r.region}[a-z]$`).test(az)) {
        report(at(path, i), az, `is not an availability zone of ${r.region}; allowed: "${r.region}a", "${r.region}b", ...`);
      }
    });
    if (new Set(r.availabilityZones).size !== r.availabilityZones.length) {
      report(path, r.availabilityZones, 'lists an availability zone twice; allowed: each zone once');
    }
  }),

  brokerRule('replica-network', 'https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html', (b, ctx, report) => {
    const r = b.replica;
    if (!r || b.engine !== 'ACTIVEMQ') return;
    const path = p(ctx, 'replica', 'network', 'cidr');
    const parsed = parseIpv4Cidr(r.network.cidr);
    if (!parsed || parsed.prefix < 16 || parsed.prefix > 24) {
      report(path, r.network.cidr, 'is not a VPC CIDR; allowed: an IPv4 block from /16 to /24, for example "10.31.0.0/16"');
      return;
    }
    const primary = parseIpv4Cidr(ctx.config.network.cidr);
    if (primary && overlaps(parsed, primary)) {
      report(
        path,
        r.network.cidr,
        `overlaps the primary VPC ${ctx.config.network.cidr}; allowed: a block disjoint from it, so that both networks can later be peered or routed`,
      );
    }
    const mask = r.network.subnetCidrMask;
    if (mask !== undefined && (mask < parsed.prefix + 2 || mask > 28)) {
      report(
        p(ctx, 'replica', 'network', 'subnetCidrMask'),
        mask,
        `does not fit ${r.availabilityZones.length} subnets in ${r.network.cidr}; allowed: ${parsed.prefix + 2} to 28`,
      );
    }
  }),

  brokerRule('replica-clients', CRDR_SOURCES.createReplica, (b, ctx, report) => {
    const r = b.replica;
    if (!r || b.engine !== 'ACTIVEMQ') return;
    (r.clients ?? []).forEach((c, i) => {
      const path = p(ctx, 'replica', 'clients', i);
      if ((c.cidr === undefined) === (c.securityGroupId === undefined)) {
        report(path, { cidr: c.cidr, securityGroupId: c.securityGroupId }, 'must name exactly one of cidr or securityGroupId');
      }
      if (c.cidr !== undefined) {
        const parsed = parseIpv4Cidr(c.cidr);
        if (!parsed || parsed.prefix < 8) {
          report(
            at(path, 'cidr'),
            c.cidr,
            'is not a named client range; allowed: an IPv4 CIDR with a prefix of /8 or longer (never 0.0.0.0/0)',
          );
        }
      }
      if (c.securityGroupId !== undefined && !/^sg-[0-9a-f]{8,17}$/.test(c.securityGroupId)) {
        report(at(path, 'securityGroupId'), c.securityGroupId, 'is not a security group id; allowed: "sg-" and 8 or 17 hex digits');
      }
    });
  }),

  brokerRule('replica-replication-user', CRDR_SOURCES.createReplica, (b, ctx, report) => {
    const r = b.replica;
    if (!r || b.engine !== 'ACTIVEMQ') return;
    const name = ctx.resolved.replica?.replicationUsername ?? r.replicationUsername;
    if (name === undefined) return;
    const path = p(ctx, 'replica', 'replicationUsername');
    if (!USERNAME_PATTERN.ACTIVEMQ.test(name)) {
      report(path, name, 'is not an ActiveMQ username; allowed: 2 to 100 letters, digits, "-", ".", "_" and "~"');
    }
    const taken = b.users.flatMap((u) => [u.username, partnerUsername(u.username)]);
    if (taken.includes(name)) {
      report(path, name, `is already an application user of this broker; allowed: a username of its own, none of ${list(taken)}`);
    }
  }),
];

function overlaps(a: { address: number; prefix: number }, b: { address: number; prefix: number }): boolean {
  const prefix = Math.min(a.prefix, b.prefix);
  const block = 2 ** (32 - prefix);
  return Math.floor(a.address / block) === Math.floor(b.address / block);
}

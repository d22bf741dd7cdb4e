import { CreateTagsCommand, ListTagsCommand, type MqClient } from '@aws-sdk/client-mq';
import { REBOOT_LEASE_TAG } from './types';

/**
 * Who reboots an ActiveMQ broker for the rotations of one cycle, kept in a tag on the broker:
 * `v1/<openedMs>/<rebootAtMs>/<owner token>/<rebootedMs or 0>[/closed]`. Amazon MQ tags have no conditional
 * write, so a rotation takes the lease by writing it, waiting `settle`, and reading it back: when two
 * write at once both read back the last write and only its writer owns the lease. Whoever reads an
 * open lease of another owner before writing joins it instead.
 */
export interface RebootLease {
  readonly openedMs: number;
  readonly rebootAtMs: number;
  readonly owner: string;
  /** When the owner's RebootBroker was accepted; 0 while gathering. */
  readonly rebootedMs: number;
  /** The owner's change was applied by another reboot (maintenance, an operator): joiners need not wait. */
  readonly closed?: boolean;
}

export function formatLease(l: RebootLease): string {
  return `v1/${l.openedMs}/${l.rebootAtMs}/${l.owner}/${l.rebootedMs}${l.closed ? '/closed' : ''}`;
}

export function parseLease(value: string | undefined): RebootLease | undefined {
  const m = /^v1\/(\d+)\/(\d+)\/([^/]+)\/(\d+)(\/closed)?$/.exec(value ?? '');
  if (!m) return undefined;
  return { openedMs: Number(m[1]), rebootAtMs: Number(m[2]), owner: m[3], rebootedMs: Number(m[4]), ...(m[5] ? { closed: true } : {}) };
}

export class RebootLeaseStore {
  constructor(private readonly mq: MqClient) {}

  async read(brokerArn: string): Promise<RebootLease | undefined> {
    const out = await this.mq.send(new ListTagsCommand({ ResourceArn: brokerArn }));
    return parseLease(out.Tags?.[REBOOT_LEASE_TAG]);
  }

  /** CreateTags overwrites the value of an existing key. */
  async write(brokerArn: string, lease: RebootLease): Promise<void> {
    await this.mq.send(new CreateTagsCommand({ ResourceArn: brokerArn, Tags: { [REBOOT_LEASE_TAG]: formatLease(lease) } }));
  }
}

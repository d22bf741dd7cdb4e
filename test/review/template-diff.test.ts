import { environmentTemplates } from '../../lib/app/synth';
import { renderReview } from '../../lib/review/render-review';
import { checkReplacements, formatBlocked } from '../../lib/review/replacement-guard';
import { diffEnvironment, type CfnTemplate, type StackTemplates } from '../../lib/review/template-diff';
import { fixtureConfig } from '../support/configs';

type Mutable = any; // templates are edited freely in these tests
const BROKERS = 'MqPlatform-production-Brokers';
const NETWORK = 'MqPlatform-production-Network';
const ORDERS = 'orders46FA7C19';

// What is deployed: the protected fixture's templates (not the shipped config's snapshots).
const base: StackTemplates = environmentTemplates(fixtureConfig('production'), { baseline: false });
function edited(edit: (t: Record<string, Mutable>) => void): Record<string, CfnTemplate> {
  const copy = structuredClone(base) as Record<string, Mutable>;
  edit(copy);
  return copy;
}
const orders = (t: Record<string, Mutable>) => t[BROKERS].Resources[ORDERS].Properties;
const review = (head: StackTemplates, allow: Mutable[] = []) => {
  const diff = diffEnvironment(base, head);
  return { diff, guard: checkReplacements(diff, allow), text: renderReview([{ environment: 'production', protected: true, base: 'HEAD', diff, guard: checkReplacements(diff, allow) }], 'md') };
};

describe('a change of each replacing property of a broker', () => {
  const edits: Array<[string, (p: Mutable) => void]> = [
    ['AuthenticationStrategy', (p) => (p.AuthenticationStrategy = 'LDAP')],
    ['BrokerName', (p) => (p.BrokerName = 'orders-production-2')],
    ['DeploymentMode', (p) => (p.DeploymentMode = 'SINGLE_INSTANCE')],
    ['EncryptionOptions', (p) => (p.EncryptionOptions = { UseAwsOwnedKey: true })],
    ['EngineType', (p) => (p.EngineType = 'RABBITMQ')],
    ['PubliclyAccessible', (p) => (p.PubliclyAccessible = true)],
    ['StorageType', (p) => (p.StorageType = 'EBS')],
    ['SubnetIds', (p) => p.SubnetIds.reverse()],
  ];

  test.each(edits)('%s: the guard blocks it and the review names it in bold', (property, edit) => {
    const { guard, text } = review(edited((t) => edit(orders(t))));
    expect(guard.blocked.map((b) => [b.change.logicalId, b.change.kind])).toEqual([[ORDERS, 'replaced']]);
    const message = formatBlocked('production', guard.blocked);
    expect(message).toMatch(/broker orders-production(-2)? \(orders46FA7C19\)/);
    expect(message).toContain(`because: ${property}`);
    expect(message).toContain('will be deleted and recreated: messages on it are lost');
    expect(message).toContain('"allowReplacement": [{ "broker": "orders", "reason": ');
    expect(text).toMatch(new RegExp(`- \\*\\*REPLACE broker orders-production[^\\n]*\\*\\*\\n  - because ${property}`));
  });

  test.each(edits)('%s: allowReplacement for the broker lets it through and the review shows the reason', (_property, edit) => {
    const { guard, text } = review(edited((t) => edit(orders(t))), [{ broker: 'orders', reason: 'moving to a cheaper single instance, queues drained first' }]);
    expect(guard.blocked).toEqual([]);
    expect(guard.guarded).toHaveLength(1);
    expect(text).toContain('allowed by allowReplacement[0]: "moving to a cheaper single instance, queues drained first"');
  });

  test('an allowance for another broker does not let it through', () => {
    const { guard } = review(edited((t) => (orders(t).DeploymentMode = 'SINGLE_INSTANCE')), [{ broker: 'events', reason: 'an unrelated migration' }]);
    expect(guard.blocked).toHaveLength(1);
    expect(guard.unused.map((u) => u.allowance.broker)).toEqual(['events']);
  });
});

describe('changes that replace through references and logical ids', () => {
  test('a subnet moved to another zone replaces it and, through the stack output, every broker in it', () => {
    const { diff, guard } = review(edited((t) => (t[NETWORK].Resources.NetworkVpcBrokersSubnet2Subnet9256E58D.Properties.AvailabilityZone = 'eu-west-1c')));
    const replaced = diff.changes.filter((c) => c.kind === 'replaced').map((c) => c.logicalId);
    expect(replaced).toEqual(expect.arrayContaining(['NetworkVpcBrokersSubnet2Subnet9256E58D', ORDERS, 'events26E65764']));
    const broker = guard.blocked.find((b) => b.change.logicalId === ORDERS)!;
    expect(broker.change.properties.find((p) => p.name === 'SubnetIds')?.via).toContain('subnet eu-west-1b');
  });

  test('a broker whose logical id changes is a deletion and a creation', () => {
    const head = edited((t) => {
      const r = t[BROKERS].Resources;
      r.ordersRenamed12345678 = r[ORDERS];
      delete r[ORDERS];
    });
    const { diff, guard, text } = review(head);
    expect(diff.changes.filter((c) => c.type === 'AWS::AmazonMQ::Broker').map((c) => [c.kind, c.logicalId])).toEqual([
      ['added', 'ordersRenamed12345678'],
      ['removed', ORDERS],
    ]);
    expect(guard.blocked.map((b) => b.change.movedTo)).toEqual(['ordersRenamed12345678']);
    expect(text).toContain(`**REMOVE broker orders-production (${ORDERS}) will be deleted and recreated as ordersRenamed12345678 (its logical id changes)`);
  });

  test('a removed secret is guarded; with DeletionPolicy Retain the review says it is orphaned', () => {
    const { guard, text } = review(edited((t) => delete t[BROKERS].Resources.ordersCredentialsordersadmin1F8ACBDD));
    expect(guard.blocked.map((b) => b.change.label)).toEqual(['secret mq-platform/production/orders/orders-admin (ordersCredentialsordersadmin1F8ACBDD)']);
    expect(text).toContain('DeletionPolicy Retain keeps the secret in the account, orphaned');
  });

  test('a renamed secret (Name) is replaced and guarded under its broker', () => {
    const { guard } = review(edited((t) => (t[BROKERS].Resources.ordersCredentialsordersapp4D6CDD0A.Properties.Name = 'mq-platform/production/orders/renamed')));
    expect(guard.blocked.map((b) => [b.change.broker, b.change.kind])).toEqual([['orders', 'replaced']]);
  });

  test('a changed VPC CIDR is allowed only by its logical id', () => {
    const head = edited((t) => (t[NETWORK].Resources.NetworkVpc7FB7348F.Properties.CidrBlock = '10.31.0.0/16'));
    expect(review(head).guard.blocked.map((b) => b.change.logicalId)).toContain('NetworkVpc7FB7348F');
    expect(review(head, [{ logicalId: 'NetworkVpc7FB7348F', reason: 'test' }]).guard.blocked.map((b) => b.change.logicalId)).not.toContain('NetworkVpc7FB7348F');
  });
});

describe('changes that do not replace', () => {
  test('a new ingress rule and an instance type are in-place updates that pass', () => {
    const { diff, guard, text } = review(
      edited((t) => {
        t[BROKERS].Resources.ordersSecurityGroupE4C1FAB8.Properties.SecurityGroupIngress.push({ CidrIp: '10.50.0.0/16', Description: 'reporting OpenWire', FromPort: 61617, IpProtocol: 'tcp', ToPort: 61617 });
        orders(t).HostInstanceType = 'mq.m5.xlarge';
      }),
    );
    expect(guard.guarded).toEqual([]);
    expect(diff.changes.map((c) => [c.logicalId, c.kind])).toEqual([
      ['ordersSecurityGroupE4C1FAB8', 'updated'],
      [ORDERS, 'updated'],
    ]);
    expect(text).toContain('- UPDATE in place broker orders-production (orders46FA7C19)');
    expect(text).toContain('  - HostInstanceType: "mq.m5.large" → "mq.m5.xlarge"');
    expect(text).toContain('  - SecurityGroupIngress: + {"CidrIp":"10.50.0.0/16","Description":"reporting OpenWire","FromPort":61617,"IpProtocol":"tcp","ToPort":61617}');
  });

  test('identical templates give no changes', () => {
    const { diff, text } = review(structuredClone(base));
    expect(diff.changes).toEqual([]);
    expect(text).toContain('No changes against `HEAD`.');
  });
});

import { environmentTemplates } from '../../lib/app/synth';
import { hasBlocked, removedEnvironmentReview, renderReview, reviewEnvironment } from '../../lib/review/render-review';
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
  return {
    diff,
    guard: checkReplacements(diff, allow),
    text: renderReview([{ environment: 'production', protected: true, base: 'HEAD', diff, guard: checkReplacements(diff, allow) }], 'md'),
  };
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
    expect(message).toContain(`"allowReplacement": [{ "broker": "orders", "property": "${property}", "reason": `);
    expect(text).toMatch(new RegExp(`- \\*\\*REPLACE broker orders-production[^\\n]*\\*\\*\\n  - because ${property}`));
  });

  test.each(edits)('%s: allowReplacement for the broker lets it through and the review shows the reason', (_property, edit) => {
    const { guard, text } = review(
      edited((t) => edit(orders(t))),
      [{ broker: 'orders', reason: 'moving to a cheaper single instance, queues drained first' }],
    );
    expect(guard.blocked).toEqual([]);
    expect(guard.guarded).toHaveLength(1);
    expect(text).toContain('allowed by allowReplacement[0]: "moving to a cheaper single instance, queues drained first"');
  });

  test('an allowance for another property of the same broker does not let it through', () => {
    const { guard } = review(
      edited((t) => (orders(t).DeploymentMode = 'SINGLE_INSTANCE')),
      [{ broker: 'orders', property: 'StorageType', reason: 'moving to EBS, queues drained first' }],
    );
    expect(guard.blocked.map((b) => b.uncovered)).toEqual([['DeploymentMode']]);
    expect(guard.unused.map((u) => u.index)).toEqual([0]);
  });

  test('a broker allowance covers the broker resource only, not its key or secrets', () => {
    const head = edited((t) => {
      delete t[BROKERS].Resources[ORDERS];
      delete t[BROKERS].Resources.ordersCredentialsordersadmin1F8ACBDD;
    });
    const { guard } = review(head, [{ broker: 'orders', reason: 'retiring the orders broker' }]);
    expect(guard.blocked.map((b) => b.change.logicalId)).toEqual(['ordersCredentialsordersadmin1F8ACBDD']);
    expect(formatBlocked('prod', guard.blocked)).toContain(
      '"allowReplacement": [{ "logicalId": "ordersCredentialsordersadmin1F8ACBDD", "property": "removal", "reason": ',
    );
  });

  test('an allowance for another broker does not let it through', () => {
    const { guard } = review(
      edited((t) => (orders(t).DeploymentMode = 'SINGLE_INSTANCE')),
      [{ broker: 'events', reason: 'an unrelated migration' }],
    );
    expect(guard.blocked).toHaveLength(1);
    expect(guard.unused.map((u) => u.allowance.broker)).toEqual(['events']);
  });
});

describe('changes that replace through references and logical ids', () => {
  test('a subnet moved to another zone replaces it and, through the stack output, every broker in it', () => {
    const { diff, guard } = review(
      edited((t) => (t[NETWORK].Resources.NetworkVpcBrokersSubnet2Subnet9256E58D.Properties.AvailabilityZone = 'eu-west-1c')),
    );
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
    expect(text).toContain(
      `**REMOVE broker orders-production (${ORDERS}) will be deleted and recreated as ordersRenamed12345678 (its logical id changes)`,
    );
  });

  test('a removed secret is guarded; with DeletionPolicy Retain the review says it is orphaned', () => {
    const { guard, text } = review(edited((t) => delete t[BROKERS].Resources.ordersCredentialsordersadmin1F8ACBDD));
    expect(guard.blocked.map((b) => b.change.label)).toEqual([
      'secret mq-platform/production/orders/orders-admin (ordersCredentialsordersadmin1F8ACBDD)',
    ]);
    expect(text).toContain('DeletionPolicy Retain keeps the secret in the account, orphaned');
  });

  test('a renamed secret (Name) is replaced and guarded under its broker', () => {
    const { guard } = review(
      edited((t) => (t[BROKERS].Resources.ordersCredentialsordersapp4D6CDD0A.Properties.Name = 'mq-platform/production/orders/renamed')),
    );
    expect(guard.blocked.map((b) => [b.change.broker, b.change.kind])).toEqual([['orders', 'replaced']]);
  });

  test('a changed VPC CIDR is allowed only by its logical id', () => {
    const head = edited((t) => (t[NETWORK].Resources.NetworkVpc7FB7348F.Properties.CidrBlock = '10.31.0.0/16'));
    expect(review(head).guard.blocked.map((b) => b.change.logicalId)).toContain('NetworkVpc7FB7348F');
    expect(review(head, [{ logicalId: 'NetworkVpc7FB7348F', reason: 'test' }]).guard.blocked.map((b) => b.change.logicalId)).not.toContain(
      'NetworkVpc7FB7348F',
    );
  });
});

describe('lock-out changes: in place, but clients are refused', () => {
  const APP = 'ordersCredentialsordersapp4D6CDD0A';
  const secret = (t: Record<string, Mutable>) => t[BROKERS].Resources[APP].Properties;
  const key = (t: Record<string, Mutable>) => t[BROKERS].Resources.ordersKey8C30302D.Properties;
  const rows: Array<[string, string, (t: Record<string, Mutable>) => void, RegExp]> = [
    [
      'password length',
      'GenerateSecretString',
      (t) => (secret(t).GenerateSecretString.PasswordLength = 40),
      /CloudFormation generates a new secret value while the broker keeps the old password: every client of broker orders is refused/,
    ],
    [
      'excluded characters',
      'GenerateSecretString',
      (t) => (secret(t).GenerateSecretString.ExcludeCharacters = '"@/'),
      /generates a new secret value/,
    ],
    [
      'secret template',
      'GenerateSecretString',
      (t) => (secret(t).GenerateSecretString.SecretStringTemplate = '{"username":"other"}'),
      /generates a new secret value/,
    ],
    [
      'secret key',
      'KmsKeyId',
      (t) => (secret(t).KmsKeyId = 'alias/other'),
      /re-encrypted under another key: every reader without kms:Decrypt on the new key \(clients of broker orders/,
    ],
    [
      'key disabled',
      'Enabled',
      (t) => (key(t).Enabled = false),
      /the key is disabled: nothing encrypted with it can be decrypted; every client of broker orders/,
    ],
    ['key deletion window', 'PendingWindowInDays', (t) => (key(t).PendingWindowInDays = 7), /how soon a deleted key is gone/],
    [
      'LDAP settings',
      'LdapServerMetadata',
      (t) =>
        (orders(t).LdapServerMetadata = {
          Hosts: ['ldap.example.com'],
          RoleBase: 'ou=roles',
          RoleSearchMatching: '(member={0})',
          ServiceAccountUsername: 'svc',
          UserBase: 'ou=users',
          UserSearchMatching: '(uid={0})',
        }),
      /authenticates against another LDAP setup: every client of broker orders/,
    ],
    [
      'CRDR primary of a replica (settable only at creation)',
      'DataReplicationPrimaryBrokerArn',
      (t) => (orders(t).DataReplicationPrimaryBrokerArn = 'arn:aws:mq:us-east-1:111111111111:broker:orders-prod:b-1'),
      /the replica's primary broker is settable only at creation \(CreateBroker; UpdateBroker has no such field\)/,
    ],
    [
      'broker user password',
      'Users',
      (t) => (orders(t).Users[0].Password = 'x'.repeat(12)),
      /a broker user is removed or gets another password: its clients of broker orders are refused until they re-read their secret \(orders-app\)/,
    ],
  ];

  test.each(rows)('%s (%s): blocked and named, allowed only for that resource and property', (_name, property, edit, effect) => {
    const { guard, text } = review(edited(edit));
    expect(guard.blocked.map((b) => b.keys)).toEqual([[property]]);
    const message = formatBlocked('prod', guard.blocked);
    expect(message).toMatch(effect);
    expect(message).toContain(`because: ${property}`);
    expect(message).toMatch(new RegExp(`"allowReplacement": \\[\\{ "(logicalId|broker)": "[A-Za-z0-9]+", "property": "${property}"`));
    expect(text).toContain('**LOCK-OUT');
    const logicalId = guard.blocked[0].change.logicalId;
    const who = logicalId === ORDERS ? { broker: 'orders' } : { logicalId };
    expect(review(edited(edit), [{ ...who, property, reason: 'clients re-read after the maintenance window' }]).guard.blocked).toEqual([]);
    expect(
      review(edited(edit), [{ ...who, property: 'Description', reason: 'clients re-read after the maintenance window' }]).guard.blocked,
    ).toHaveLength(1);
  });

  test('a key enabled again, a new user and an instance size lock nobody out', () => {
    const { guard } = review(
      edited((t) => {
        key(t).Enabled = true;
        orders(t).Users.push({ Username: 'reporting', Password: 'y'.repeat(12) });
      }),
    );
    expect(guard.guarded).toEqual([]);
  });
});

describe('changes that do not replace', () => {
  test('a new ingress rule and an instance type are in-place updates that pass', () => {
    const { diff, guard, text } = review(
      edited((t) => {
        t[BROKERS].Resources.ordersSecurityGroupE4C1FAB8.Properties.SecurityGroupIngress.push({
          CidrIp: '10.50.0.0/16',
          Description: 'reporting OpenWire',
          FromPort: 61617,
          IpProtocol: 'tcp',
          ToPort: 61617,
        });
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
    expect(text).toContain(
      '  - SecurityGroupIngress: + {"CidrIp":"10.50.0.0/16","Description":"reporting OpenWire","FromPort":61617,"IpProtocol":"tcp","ToPort":61617}',
    );
  });

  test('identical templates give no changes', () => {
    const { diff, text } = review(structuredClone(base));
    expect(diff.changes).toEqual([]);
    expect(text).toContain('No changes against `HEAD`.');
  });
});

describe('the review of the protection itself', () => {
  test('a protected environment whose config is gone is listed first and fails --check', () => {
    const r = removedEnvironmentReview('production', base, 'HEAD')!;
    const text = renderReview([r], 'text');
    expect(text.split('\n').slice(0, 6).join('\n')).toContain(
      '!! PROTECTION config (no config/*.json has "environment": "production"): removes the config of protected environment production; first set "protected": false',
    );
    expect(text).toContain('!! REMOVE broker orders-production (orders46FA7C19)');
    expect(hasBlocked([r])).toBe(true);
    expect(removedEnvironmentReview('dev', environmentTemplates(fixtureConfig('dev'), { baseline: false }), 'HEAD')).toBeUndefined();
  });

  test('lowering the protection is read from the baseline: --check fails without the unlock, passes with it', () => {
    const baseline = { ref: 'HEAD', environment: 'production', templates: base, snapshotsInWorkingTree: true };
    const config = { environment: 'production', protected: false, allowReplacement: [], unlock: [] };
    const blocked = reviewEnvironment(config, baseline, base);
    expect(blocked.protected).toBe(true);
    expect(hasBlocked([blocked])).toBe(true);
    expect(renderReview([blocked], 'md')).toContain('- **PROTECTION protected: lowers the protection of production');
    const unlocked = reviewEnvironment(
      { ...config, unlock: [{ change: 'protection' as const, reason: 'retiring prod after the move' }] },
      baseline,
      base,
    );
    expect(unlocked.protected).toBe(false);
    expect(hasBlocked([unlocked])).toBe(false);
    expect(renderReview([unlocked], 'text')).toContain('unlocked by unlock[0]: "retiring prod after the move"');
  });
});

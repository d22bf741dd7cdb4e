import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { readSnapshotDir, SNAPSHOT_ROOT } from '../../lib/review/baseline';
import { UPDATE_BEHAVIOR, updateBehavior } from '../../lib/review/update-behavior';

/**
 * The CloudFormation service specification the aws-cdk CLI bundles (what `cdk diff` uses to say
 * "replace"): per resource type and property, `causesReplacement` is "yes" or "maybe".
 */
function specReplacements(): Map<string, { yes: string[]; maybe: string[] }> {
  const file = path.join(path.dirname(require.resolve('aws-cdk/package.json')), 'db.json.gz');
  const db = JSON.parse(zlib.gunzipSync(fs.readFileSync(file)).toString('utf8'));
  const out = new Map<string, { yes: string[]; maybe: string[] }>();
  for (const r of Object.values(db.schema.resource.entities) as Array<{ cloudFormationType: string; properties: Record<string, { causesReplacement?: string }> }>) {
    const props = Object.entries(r.properties ?? {});
    out.set(r.cloudFormationType, {
      yes: props.filter(([, p]) => p.causesReplacement === 'yes').map(([k]) => k).sort(),
      maybe: props.filter(([, p]) => p.causesReplacement === 'maybe').map(([k]) => k).sort(),
    });
  }
  return out;
}

describe('update behavior table', () => {
  const spec = specReplacements();

  test.each(Object.keys(UPDATE_BEHAVIOR))('%s matches the CloudFormation specification', (type) => {
    const facts = UPDATE_BEHAVIOR[type];
    expect(spec.get(type)).toEqual({ yes: [...facts.replaces].sort(), maybe: [...(facts.mayReplace ?? [])].sort() });
  });

  test('the broker properties that replace are those of the CloudFormation reference (amazon-mq-rules.md §12)', () => {
    expect([...UPDATE_BEHAVIOR['AWS::AmazonMQ::Broker'].replaces].sort()).toEqual(
      ['AuthenticationStrategy', 'BrokerName', 'DeploymentMode', 'EncryptionOptions', 'EngineType', 'PubliclyAccessible', 'StorageType', 'SubnetIds'].sort(),
    );
  });

  test('brokers, keys, secrets, VPCs, subnets and log groups are stateful', () => {
    const stateful = Object.entries(UPDATE_BEHAVIOR).filter(([, b]) => b.stateful).map(([t]) => t).sort();
    expect(stateful).toEqual(['AWS::AmazonMQ::Broker', 'AWS::EC2::Subnet', 'AWS::EC2::VPC', 'AWS::KMS::Key', 'AWS::Logs::LogGroup', 'AWS::SecretsManager::Secret']);
  });

  test('every resource type in the committed snapshots is in the table (add new types to lib/review/update-behavior.ts)', () => {
    const types = new Set<string>();
    for (const env of fs.readdirSync(SNAPSHOT_ROOT)) {
      for (const t of Object.values(readSnapshotDir(path.join(SNAPSHOT_ROOT, env)))) for (const r of Object.values(t.Resources ?? {})) types.add(r.Type);
    }
    expect([...types].filter((t) => !updateBehavior(t)).sort()).toEqual([]);
  });
});

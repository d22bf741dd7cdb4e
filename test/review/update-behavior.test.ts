import * as fs from 'fs';
import * as path from 'path';
import { readSnapshotDir, SNAPSHOT_ROOT } from '../../lib/review/baseline';
import { diffEnvironment } from '../../lib/review/template-diff';
import { environmentTemplates } from '../../lib/app/synth';
import { fixtureConfig } from '../support/configs';
import { STATEFUL_TYPES } from '../../lib/review/update-behavior';

type Mutable = any; // templates are edited freely in these tests

describe('update behavior', () => {
  test('the broker properties that replace are those of the CloudFormation reference (amazon-mq-rules.md §12), as cloudformation-diff reads them', () => {
    // The protected fixture's templates, not the shipped config's snapshots (a team's config may differ).
    const base = environmentTemplates(fixtureConfig('production'), { baseline: false });
    const [stack, id] = Object.entries(base).flatMap(([s, t]) =>
      Object.entries(t.Resources ?? {})
        .filter(([, r]) => r.Type === 'AWS::AmazonMQ::Broker')
        .map(([i]) => [s, i]),
    )[0];
    const props = Object.keys(base[stack].Resources![id].Properties ?? {});
    const replacing = props.filter((prop) => {
      const head = structuredClone(base) as Record<string, Mutable>;
      head[stack].Resources[id].Properties[prop] = { changed: prop };
      return (
        diffEnvironment(base, head)
          .changes.find((c) => c.logicalId === id)
          ?.properties.find((p) => p.name === prop)?.effect === 'replace'
      );
    });
    expect(replacing.sort()).toEqual(
      [
        'AuthenticationStrategy',
        'BrokerName',
        'DeploymentMode',
        'EncryptionOptions',
        'EngineType',
        'PubliclyAccessible',
        'StorageType',
        'SubnetIds',
      ].sort(),
    );
  });

  test('brokers, keys, secrets, VPCs, subnets and log groups are stateful', () => {
    expect(Object.keys(STATEFUL_TYPES).sort()).toEqual([
      'AWS::AmazonMQ::Broker',
      'AWS::EC2::Subnet',
      'AWS::EC2::VPC',
      'AWS::KMS::Key',
      'AWS::Logs::LogGroup',
      'AWS::SecretsManager::Secret',
    ]);
  });

  test('every stateful type occurs in the committed snapshots (the table names what we deploy)', () => {
    const types = new Set<string>();
    for (const env of fs.readdirSync(SNAPSHOT_ROOT)) {
      for (const t of Object.values(readSnapshotDir(path.join(SNAPSHOT_ROOT, env))))
        for (const r of Object.values(t.Resources ?? {})) types.add(r.Type);
    }
    expect(Object.keys(STATEFUL_TYPES).filter((t) => !types.has(t))).toEqual([]);
  });
});

import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { committedBaseline, defaultBaseRef } from '../../lib/review/baseline';
import { isProtectedBaseline } from '../../lib/review/protection-guard';

/** A throw-away git repository: main has protected snapshots of "guarded"; a branch works on top. */
function repo(): { root: string; snapshots: string; git: (...a: string[]) => string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mq-guard-'));
  const git = (...a: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...a], { cwd: root, encoding: 'utf8' }).trim();
  const snapshots = path.join(root, 'test', 'snapshots');
  const write = (env: string, retain: boolean) => {
    fs.mkdirSync(path.join(snapshots, env), { recursive: true });
    const broker = {
      Type: 'AWS::AmazonMQ::Broker',
      Properties: { BrokerName: `amq-${env}` },
      DeletionPolicy: retain ? 'Retain' : 'Delete',
    };
    fs.writeFileSync(path.join(snapshots, env, `MqPlatform-${env}-Brokers.json`), JSON.stringify({ Resources: { amq: broker } }));
  };
  git('init', '-q', '-b', 'main');
  write('guarded', true);
  fs.mkdirSync(path.join(root, 'config'));
  fs.writeFileSync(path.join(root, 'config', 'guarded.json'), JSON.stringify({ environment: 'guarded' }));
  git('add', '-A');
  git('commit', '-q', '-m', 'protected baseline');
  git('checkout', '-q', '-b', 'feature');
  return { root, snapshots, git: Object.assign(git, { write }) as any };
}

describe('the committed baseline (merge base with main), not the working tree', () => {
  test('snapshots regenerated with "protected": false and committed on the branch do not become the baseline', () => {
    const { root, snapshots, git } = repo();
    (git as any).write('guarded', false);
    git('commit', '-q', '-am', 'regenerated with the flag off');
    const base = committedBaseline('guarded', { repoRoot: root, snapshotRoot: snapshots });
    expect(base.ref).toBe(git('rev-parse', 'main'));
    expect(base.ref).toBe(defaultBaseRef(root));
    expect(isProtectedBaseline(base.templates)).toBe(true);
  });

  test('a removed snapshot folder is seen', () => {
    const { root, snapshots } = repo();
    fs.rmSync(path.join(snapshots, 'guarded'), { recursive: true });
    const base = committedBaseline('guarded', { repoRoot: root, snapshotRoot: snapshots, ref: 'main' });
    expect(base.snapshotsInWorkingTree).toBe(false);
    expect(isProtectedBaseline(base.templates)).toBe(true);
  });

  test('a renamed environment finds its old baseline through its config file', () => {
    const { root, snapshots } = repo();
    const base = committedBaseline('guarded2', {
      repoRoot: root,
      snapshotRoot: snapshots,
      ref: 'main',
      configFile: path.join(root, 'config', 'guarded.json'),
    });
    expect(base.environment).toBe('guarded');
    expect(isProtectedBaseline(base.templates)).toBe(true);
    expect(committedBaseline('other', { repoRoot: root, snapshotRoot: snapshots, ref: 'main' }).templates).toEqual({});
  });
});

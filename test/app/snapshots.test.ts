import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import { renderSnapshot } from '../../lib/app/normalize-template';
import { synthEnvironment } from '../../lib/app/synth';
import { shippedStages, stageConfig } from '../support/configs';
import { expectFileSnapshot } from '../support/file-snapshot';

/** One reviewable file per stack and environment: test/snapshots/<stage>/<stack>.json. */
const SNAPSHOT_DIR = path.join(__dirname, '..', 'snapshots');

function templates(stage: string): Record<string, string> {
  const { stacks } = synthEnvironment(stageConfig(stage));
  const out: Record<string, string> = {};
  for (const stack of [stacks.network, stacks.brokers]) {
    if (stack) out[stack.stackName] = renderSnapshot(Template.fromStack(stack).toJSON());
  }
  return out;
}

describe.each(shippedStages())('config/%s.json', (stage) => {
  const first = templates(stage);

  test.each(Object.keys(first))('%s matches its snapshot', (stackName) => {
    expectFileSnapshot(path.join(SNAPSHOT_DIR, stage, `${stackName}.json`), first[stackName]);
  });

  test('two synths of the same config are byte-identical', () => {
    expect(templates(stage)).toEqual(first);
  });

  test('no template holds a literal password or opens ingress to the world', () => {
    for (const text of Object.values(first)) {
      expect(text).not.toMatch(/"Password": "(?!\{\{resolve)/);
      expect(text).not.toMatch(/"CidrIp": "0\.0\.0\.0\/0"|"CidrIpv6": "::\/0"/);
    }
  });
});

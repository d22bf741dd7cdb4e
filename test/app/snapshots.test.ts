import * as path from 'path';
import { renderSnapshot } from '../../lib/app/normalize-template';
import { environmentTemplates } from '../../lib/app/synth';
import { SNAPSHOT_ROOT } from '../../lib/review/baseline';
import { shippedStages, stageConfig } from '../support/configs';
import { expectFileSnapshot } from '../support/file-snapshot';

/**
 * One reviewable file per stack and environment: test/snapshots/<environment>/<stack>.json. As
 * committed at the merge base with main they are the baseline of the replacement guard:
 * synthesizing a protected environment fails on a replacement, removal or lock-out that the config
 * does not allow, so `jest -u` cannot write it.
 */
function templates(stage: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, template] of Object.entries(environmentTemplates(stageConfig(stage)))) out[name] = renderSnapshot(template);
  return out;
}

describe.each(shippedStages())('config/%s.json', (stage) => {
  const first = templates(stage);

  test('its environment is named after the file (snapshots and guard baseline are found by environment)', () => {
    expect(stageConfig(stage).environment).toBe(stage);
  });

  test.each(Object.keys(first))('%s matches its snapshot', (stackName) => {
    expectFileSnapshot(path.join(SNAPSHOT_ROOT, stage, `${stackName}.json`), first[stackName]);
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

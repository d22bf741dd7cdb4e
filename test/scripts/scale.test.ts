import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthEnvironment } from '../../lib/app/synth';
import { planBrokerAlarms } from '../../lib/config/alarm-plan';
import { parseConfig } from '../../lib/config/load-config';
import { generateConfig } from '../../scripts/bench/generate-config';

/**
 * The scale requirement: 20 brokers with 200 named queues each synthesize within CloudFormation's
 * limits (500 resources and 1 MB per template, cloudformation-limits.html). Sizes are those of the
 * template files synth writes. A size check, not a timing (`npm run bench` times it).
 */
describe('20 brokers x 200 queues', () => {
  const config = parseConfig(generateConfig(20, 200), 'bench-20x200');
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mq-scale-'));
  const { app } = synthEnvironment(config, outdir);
  const assembly = app.synth();
  const sizes = assembly.stacks.map((s) => ({
    stack: s.stackName,
    resources: Object.keys(s.template.Resources ?? {}).length,
    bytes: fs.statSync(s.templateFullPath).size,
  }));
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('every template stays under 500 resources and 1 MB', () => {
    for (const s of sizes) {
      expect({ stack: s.stack, underResourceLimit: s.resources < 500, underSizeLimit: s.bytes < 1_000_000 }).toEqual({
        stack: s.stack,
        underResourceLimit: true,
        underSizeLimit: true,
      });
    }
  });

  test('every named queue has its depth and no-consumer alarm', () => {
    const alarmStacks = sizes.filter((s) => s.stack.includes('-Alarms-'));
    expect(alarmStacks).toHaveLength(20);
    expect(alarmStacks.reduce((n, s) => n + s.resources, 0)).toBeGreaterThanOrEqual(20 * 200 * 2);
  });

  test("the plan's size estimate is an upper bound of every alarm template (the size rule relies on it)", () => {
    config.brokers.forEach((b) => {
      const actual = sizes.find((s) => s.stack === `MqPlatform-bench-Alarms-${b.name}`)!.bytes;
      expect({ broker: b.name, estimateCovers: planBrokerAlarms(b).estimatedBytes >= actual }).toEqual({
        broker: b.name,
        estimateCovers: true,
      });
    });
  });
});

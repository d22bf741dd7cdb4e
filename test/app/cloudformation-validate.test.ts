import { CfnResource } from 'aws-cdk-lib';
import { synthEnvironment } from '../../lib/app/synth';
import { parseConfig } from '../../lib/config/load-config';
import type { ResolvedConfig } from '../../lib/config/resolve';
import { cloudFormationFindings } from '../support/cloudformation-validate';
import { FIXTURES, fixtureConfig, shippedStages, stageConfig } from '../support/configs';
import { guardFixture } from '../support/guard-fixture';

/**
 * aws-cdk-lib's built-in CloudFormation validator (@aws/cloudformation-validate) runs on every
 * `cdk synth`; unit tests turn it off by default for speed (test/support/synth-defaults.ts). Here
 * every fixture and every shipped config is synthesized WITH it, as `cdk synth` does, and any
 * finding nobody acknowledged fails the test, warnings included. One file: the validator's engine
 * starts once per test file.
 */
const withValidator = (config: ResolvedConfig) => synthEnvironment(config, undefined, { cloudFormationValidation: true });

const cases: Array<[string, () => ResolvedConfig]> = [
  ...FIXTURES.map((f): [string, () => ResolvedConfig] => [`test/fixtures/${f}.json`, () => fixtureConfig(f)]),
  ['test/fixtures/guarded.json', () => parseConfig(guardFixture(true), 'guarded')],
  ...shippedStages().map((s): [string, () => ResolvedConfig] => [`config/${s}.json`, () => stageConfig(s)]),
];

describe('the CloudFormation validator of `cdk synth`', () => {
  test.each(cases)('%s: no finding', (_name, config) => {
    expect(cloudFormationFindings(withValidator(config()).app)).toEqual([]);
  });

  test('a finding fails the check (the check is not vacuous)', () => {
    const { app, stacks } = withValidator(fixtureConfig('dev'));
    const alarm = stacks.alarms[0].node
      .findAll()
      .find((c) => CfnResource.isCfnResource(c) && c.cfnResourceType === 'AWS::CloudWatch::Alarm');
    (alarm as CfnResource).addPropertyOverride('EvaluationPeriods', 'many');
    const findings = cloudFormationFindings(app);
    expect(findings).toContainEqual(expect.objectContaining({ description: expect.stringContaining('EvaluationPeriods') }));
  });

  test('off by default in unit tests, and the check says so instead of passing', () => {
    const { app } = synthEnvironment(fixtureConfig('dev'));
    expect(() => cloudFormationFindings(app)).toThrow(/did not run/);
  });
});

import { Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import type { ResolvedConfig } from '../config/resolve';
import { AmazonMqChecks } from './amazonmq/amazon-mq-checks';

/**
 * Which packs run at synth:
 * - `mq` (default for `cdk synth`): our Amazon MQ pack, cheap enough for every synth;
 * - `all` (`npm run compliance`, CI, tests): plus AwsSolutions, HIPAA Security, NIST 800-53 rev 5,
 *   PCI DSS 3.2.1 and Control Tower's proactive controls (cfn-guard).
 */
export type CompliancePacks = 'mq' | 'all';
export const COMPLIANCE_PACKS: readonly CompliancePacks[] = ['mq', 'all'];

export function addCompliance(app: App, config: ResolvedConfig, packs: CompliancePacks): void {
  Validations.of(app).addPlugins(new AmazonMqChecks(app, { production: config.protected, requiredTagKeys: config.requiredTagKeys }));
  if (packs === 'all') {
    // Loaded only when asked for, so that the default synth does not pay for it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load; addCompliance is synchronous, so no import()
    const { CfnGuardValidator } = require('@cdklabs/cdk-validator-cfnguard') as typeof import('@cdklabs/cdk-validator-cfnguard');
    Validations.of(app).addPlugins(
      new AwsSolutionsChecks(app),
      new HIPAASecurityChecks(app),
      new NIST80053R5Checks(app),
      new PCIDSS321Checks(app),
      new CfnGuardValidator({ controlTowerRulesEnabled: true }),
    );
  }
}

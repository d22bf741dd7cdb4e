import { Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import type { ResolvedConfig } from '../config/resolve';
import { COMPLIANCE_CONFIG_FIELDS } from '../config/rules/environment-rules';
import { at } from '../config/rules/problem';
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
  const brokerIndex = brokerResources(app, config);
  Validations.of(app).addPlugins(
    new AmazonMqChecks(app, {
      production: config.protected,
      requiredTagKeys: config.requiredTagKeys,
      // Each finding names the config field that causes it, as compliance.acknowledge takes it.
      configPath: (resource, rule) => {
        const spec = COMPLIANCE_CONFIG_FIELDS[rule];
        const i = brokerIndex.get(resource.node.path);
        if (!spec || i === undefined) return undefined;
        const field = at('brokers', i, spec.field);
        return spec.environmentField ? `${field} or ${spec.environmentField}` : field;
      },
    }),
  );
  acknowledgeFromConfig(app, config, brokerIndex);
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

/** The Amazon MQ broker resource of each broker, by construct path: its index in config.brokers. */
function brokerResources(app: App, config: ResolvedConfig): Map<string, number> {
  const out = new Map<string, number>();
  const names = new Map(config.brokers.map((b, i) => [b.name, i]));
  for (const node of app.node.findAll()) {
    const parent = node.node.scope;
    if (
      node.node.id === 'Resource' &&
      (node as { cfnResourceType?: string }).cfnResourceType === 'AWS::AmazonMQ::Broker' &&
      parent &&
      names.has(parent.node.id)
    ) {
      out.set(node.node.path, names.get(parent.node.id) as number);
    }
  }
  return out;
}

/**
 * compliance.acknowledge: each entry accepts its rule's finding on the broker(s) its path names
 * (validated by the compliance-acknowledge rule), with the reason and the entry it came from.
 */
function acknowledgeFromConfig(app: App, config: ResolvedConfig, brokerIndex: Map<string, number>): void {
  const byIndex = new Map<number, IConstruct>();
  for (const node of app.node.findAll()) {
    const i = brokerIndex.get(node.node.path);
    if (i !== undefined) byIndex.set(i, node);
  }
  (config.acknowledge ?? []).forEach((a, n) => {
    const spec = COMPLIANCE_CONFIG_FIELDS[a.rule];
    if (!spec) return;
    const targets = [...byIndex.entries()].filter(([i]) => a.path === spec.environmentField || a.path === at('brokers', i, spec.field));
    for (const [, resource] of targets) {
      Validations.of(resource).acknowledge({
        id: `AmazonMQ::${a.rule}`,
        reason: `${a.reason} (config: compliance.acknowledge[${n}], ${a.path})`,
      });
    }
  });
}

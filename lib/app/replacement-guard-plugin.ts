import * as fs from 'fs';
import type { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyViolationBeta1 } from 'aws-cdk-lib';
import type { Baseline } from '../review/baseline';
import {
  checkProtection,
  formatProtectionBlocked,
  formatUnusedUnlock,
  isProtectedBaseline,
  type ProtectionUnlock,
} from '../review/protection-guard';
import {
  checkReplacements,
  formatBlocked,
  formatUnused,
  replacingProperties,
  type ReplacementAllowance,
} from '../review/replacement-guard';
import { diffEnvironment, type CfnTemplate } from '../review/template-diff';
import { normalizeTemplate } from './normalize-template';

export interface ReplacementGuardProps {
  readonly environment: string;
  /** `protected` of the new config; the guard also runs when only the baseline is protected. */
  readonly protected: boolean;
  /** Construct path of each stack of the environment -> its stack name (the snapshot file name). */
  readonly stacks: Readonly<Record<string, string>>;
  /** What is deployed: the committed snapshots of the environment (lib/review/baseline.ts). */
  readonly baseline: Baseline;
  readonly allowReplacement: readonly ReplacementAllowance[];
  readonly unlock: readonly ProtectionUnlock[];
}

/**
 * Fails synth (`cdk synth`, and every test that synthesizes the environment, so `jest -u` cannot
 * write a snapshot past it) when, against the committed baseline:
 * - a protected baseline loses its protection (`protected` lowered, environment renamed, snapshots
 *   removed) without the matching `unlock`;
 * - a protected environment replaces or removes a stateful resource, or locks clients out, without
 *   an `allowReplacement` entry for that resource (and property);
 * - an `allowReplacement` or `unlock` entry matches nothing (stale).
 * Violations are `fatal`: a construct acknowledgement cannot hide them; only the config can.
 */
export class ReplacementGuardPlugin implements IPolicyValidationPlugin {
  public static readonly RULE = 'stateful-replacement';
  public static readonly PROTECTION_RULE = 'protection-lowered';
  public static readonly STALE_RULE = 'stale-allowance';
  public readonly name = 'mq-platform-replacement-guard';
  public readonly version = '2.0.0';
  public readonly ruleIds = [ReplacementGuardPlugin.PROTECTION_RULE, ReplacementGuardPlugin.RULE, ReplacementGuardPlugin.STALE_RULE];

  constructor(private readonly props: ReplacementGuardProps) {}

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const { environment, baseline } = this.props;
    const head: Record<string, CfnTemplate> = {};
    const paths: Record<string, string> = {};
    for (const s of context.stackTemplates) {
      const name = this.props.stacks[s.stackConstructPath];
      if (!name) continue; // another environment's stack
      head[name] = normalizeTemplate(JSON.parse(fs.readFileSync(s.templatePath, 'utf8'))) as CfnTemplate;
      paths[name] = s.templatePath;
    }
    const anyPath = Object.values(paths)[0] ?? '';
    const protection = checkProtection(
      { environment, protected: this.props.protected, unlock: this.props.unlock },
      {
        environment: baseline.environment,
        protected: isProtectedBaseline(baseline.templates),
        snapshotsInWorkingTree: baseline.snapshotsInWorkingTree,
      },
    );
    const violations: PolicyViolationBeta1[] = protection.blocked.map((c) => ({
      ruleName: ReplacementGuardPlugin.PROTECTION_RULE,
      description: `${environment}: ${formatProtectionBlocked(c)}`,
      fix: `add { "change": "${c.kind}", "reason" } to unlock in the ${environment} config, or undo the change`,
      severity: 'fatal',
      violatingResources: [{ resourceLogicalId: c.field, templatePath: anyPath, locations: [c.field] }],
    }));
    for (const u of protection.unused) {
      violations.push({
        ruleName: ReplacementGuardPlugin.STALE_RULE,
        description: `${environment}: ${formatUnusedUnlock(u)}`,
        fix: `remove unlock[${u.index}]`,
        severity: 'fatal',
        violatingResources: [{ resourceLogicalId: `unlock[${u.index}]`, templatePath: anyPath, locations: [`unlock[${u.index}]`] }],
      });
    }
    if (protection.protected) {
      // A renamed environment has no baseline of its own: its stacks are all new.
      const base = baseline.environment === environment ? baseline.templates : {};
      const result = checkReplacements(diffEnvironment(base, head), this.props.allowReplacement);
      for (const b of result.blocked) {
        violations.push({
          ruleName: ReplacementGuardPlugin.RULE,
          description: formatBlocked(environment, [b]),
          fix: `add { "broker" | "logicalId", "property", "reason" } to allowReplacement in the ${environment} config, or undo the change`,
          severity: 'fatal',
          violatingResources: [
            {
              resourceLogicalId: b.change.logicalId,
              templatePath: paths[b.change.stack] ?? anyPath,
              locations: replacingProperties(b.change),
            },
          ],
        });
      }
      for (const u of result.unused) {
        violations.push({
          ruleName: ReplacementGuardPlugin.STALE_RULE,
          description: `${environment}: ${formatUnused(environment, u)}`,
          fix: `remove allowReplacement[${u.index}]`,
          severity: 'fatal',
          violatingResources: [
            { resourceLogicalId: `allowReplacement[${u.index}]`, templatePath: anyPath, locations: [`allowReplacement[${u.index}]`] },
          ],
        });
      }
    }
    return { success: violations.length === 0, violations };
  }
}

import * as fs from 'fs';
import type { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { checkReplacements, formatBlocked, replacingProperties, type ReplacementAllowance } from '../review/replacement-guard';
import { diffEnvironment, type CfnTemplate, type StackTemplates } from '../review/template-diff';
import { normalizeTemplate } from './normalize-template';

export interface ReplacementGuardProps {
  readonly environment: string;
  /** Construct path of each stack of the environment -> its stack name (the snapshot file name). */
  readonly stacks: Readonly<Record<string, string>>;
  /** What is deployed: the committed snapshots of the environment. */
  readonly baseline: StackTemplates;
  readonly allowReplacement: readonly ReplacementAllowance[];
}

/**
 * Fails synth (`cdk synth`, and every test that synthesizes the environment, so `jest -u` cannot
 * write a snapshot past it) when a template would replace or remove a stateful resource of a
 * protected environment that the config does not allow. Violations are `fatal`: a construct
 * acknowledgement cannot hide them; only `allowReplacement` in the config can.
 */
export class ReplacementGuardPlugin implements IPolicyValidationPlugin {
  public static readonly RULE = 'stateful-replacement';
  public readonly name = 'mq-platform-replacement-guard';
  public readonly version = '1.0.0';
  public readonly ruleIds = [ReplacementGuardPlugin.RULE];

  constructor(private readonly props: ReplacementGuardProps) {}

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const head: Record<string, CfnTemplate> = {};
    const paths: Record<string, string> = {};
    for (const s of context.stackTemplates) {
      const name = this.props.stacks[s.stackConstructPath];
      if (!name) continue; // another environment's stack
      head[name] = normalizeTemplate(JSON.parse(fs.readFileSync(s.templatePath, 'utf8'))) as CfnTemplate;
      paths[name] = s.templatePath;
    }
    const result = checkReplacements(diffEnvironment(this.props.baseline, head), this.props.allowReplacement);
    return {
      success: result.blocked.length === 0,
      violations: result.blocked.map((b) => ({
        ruleName: ReplacementGuardPlugin.RULE,
        description: formatBlocked(this.props.environment, [b]),
        fix: `add { "broker" | "logicalId", "reason" } to allowReplacement in the ${this.props.environment} config, or undo the change`,
        severity: 'fatal',
        violatingResources: [
          {
            resourceLogicalId: b.change.logicalId,
            templatePath: paths[b.change.stack],
            locations: replacingProperties(b.change),
          },
        ],
      })),
    };
  }
}

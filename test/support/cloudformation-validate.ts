import * as fs from 'fs';
import * as path from 'path';
import type { App } from 'aws-cdk-lib';

/** One finding of aws-cdk-lib's built-in CloudFormation validator, as the report names it. */
export interface ValidatorFinding {
  readonly rule: string;
  readonly severity: string;
  readonly description: string;
  readonly paths: readonly string[];
}

interface ReportFile {
  pluginReports: Array<{
    pluginName: string;
    violations?: Array<{ ruleName: string; description: string; severity?: string; violatingConstructs: Array<{ constructPath: string }> }>;
  }>;
}

/**
 * Synthesizes the App and returns what the CloudFormation validator found that nobody
 * acknowledged (errors and warnings alike). The App must run the validator (newApp with
 * `cloudFormationValidation: true`): when it did not, this throws rather than pass on nothing.
 */
export function cloudFormationFindings(app: App): ValidatorFinding[] {
  try {
    app.synth();
  } catch {
    // An error finding fails synth (validateAgainstDefaultRules); the report is written first.
  }
  const file = path.join(app.outdir, 'validation-report.json');
  const report: ReportFile = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : { pluginReports: [] };
  const plugin = report.pluginReports.find((p) => p.pluginName === 'CloudFormation Validate');
  if (!plugin) throw new Error('the CloudFormation validator did not run: create the App with cloudFormationValidation: true');
  return (plugin.violations ?? []).map((v) => ({
    rule: v.ruleName,
    severity: v.severity ?? 'error',
    description: v.description,
    paths: v.violatingConstructs.map((c) => c.constructPath),
  }));
}

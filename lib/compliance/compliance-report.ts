import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { addEnvironment, type AddEnvironmentOptions } from '../app/mq-platform-app';
import { newApp } from '../app/synth';
import type { ResolvedConfig } from '../config/resolve';
import { addCompliance } from './compliance';

export interface Finding {
  readonly pack: string;
  readonly rule: string;
  readonly severity: 'error' | 'warning';
  readonly description: string;
  readonly paths: readonly string[];
}

export interface Acknowledgement {
  readonly pack: string;
  readonly rule: string;
  readonly path: string;
  readonly reason: string;
}

export interface PackSummary {
  readonly pack: string;
  readonly errors: number;
  readonly warnings: number;
  readonly acknowledgements: number;
}

export interface EnvironmentCompliance {
  readonly environment: string;
  readonly packs: readonly PackSummary[];
  readonly findings: readonly Finding[];
  readonly acknowledgements: readonly Acknowledgement[];
}

/** The packs of `-c compliance=all`, by the name they report under. */
export const PACK_NAMES = [
  'AmazonMQ',
  'AwsSolutions',
  'HIPAA.Security',
  'NIST.800.53.R5',
  'PCI.DSS.321',
  'cdk-validator-cfnguard',
  'CloudFormation-Validate',
];

interface ReportFile {
  pluginReports: Array<{
    pluginName: string;
    violations?: Array<{ ruleName: string; description: string; severity?: string; violatingConstructs: Array<{ constructPath: string }> }>;
  }>;
}

/** Synthesizes one environment with every pack and collects findings and acknowledgements. */
export function checkEnvironment(config: ResolvedConfig, options?: AddEnvironmentOptions): EnvironmentCompliance {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mq-compliance-'));
  try {
    const app = newApp({ outdir, cloudFormationValidation: true });
    addEnvironment(app, config, options);
    addCompliance(app, config, 'all');
    try {
      app.synth();
    } catch {
      // Unacknowledged errors fail synth; the report file still lists them.
    }
    const file = path.join(outdir, 'validation-report.json');
    const report: ReportFile = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : { pluginReports: [] };
    const findings: Finding[] = report.pluginReports.flatMap((p) =>
      (p.violations ?? []).map((v) => ({
        pack: p.pluginName,
        rule: v.ruleName,
        severity: v.severity === 'warning' ? ('warning' as const) : ('error' as const),
        description: v.description,
        paths: v.violatingConstructs.map((c) => c.constructPath),
      })),
    );
    const acknowledgements = collectAcknowledgements(app);
    const packs = PACK_NAMES.map((pack) => ({
      pack,
      errors: findings.filter((f) => f.pack === pack && f.severity === 'error').reduce((n, f) => n + f.paths.length, 0),
      warnings: findings.filter((f) => f.pack === pack && f.severity === 'warning').reduce((n, f) => n + f.paths.length, 0),
      acknowledgements: acknowledgements.filter((a) => a.pack === pack).length,
    }));
    return { environment: config.environment, packs, findings, acknowledgements };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** Every `Validations.acknowledge()` in the tree, ours and aws-cdk-lib's own. */
function collectAcknowledgements(root: IConstruct): Acknowledgement[] {
  const out: Acknowledgement[] = [];
  for (const node of root.node.findAll()) {
    for (const entry of node.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        const [pack, rule] = id.includes('::') ? id.split('::') : ['Annotation', id];
        out.push({ pack, rule, path: node.node.path, reason });
      }
    }
  }
  return out.sort((a, b) => a.path.localeCompare(b.path) || a.rule.localeCompare(b.rule));
}

export function unacknowledgedErrors(results: readonly EnvironmentCompliance[]): number {
  return results.reduce((n, r) => n + r.packs.reduce((m, p) => m + p.errors, 0), 0);
}

export function renderText(results: readonly EnvironmentCompliance[]): string {
  const lines: string[] = [];
  for (const r of results) {
    lines.push(`Environment ${r.environment}`);
    lines.push(`  ${'pack'.padEnd(26)} ${'errors'.padStart(6)} ${'warnings'.padStart(8)} ${'acknowledged'.padStart(12)}`);
    for (const p of r.packs)
      lines.push(
        `  ${p.pack.padEnd(26)} ${String(p.errors).padStart(6)} ${String(p.warnings).padStart(8)} ${String(p.acknowledgements).padStart(12)}`,
      );
    for (const f of r.findings)
      for (const at of f.paths) lines.push(`  ${f.severity.toUpperCase()} ${f.pack} ${f.rule} at ${at}: ${f.description}`);
    if (r.acknowledgements.length) lines.push('  Acknowledgements:');
    for (const a of r.acknowledgements) lines.push(`    ${a.pack}::${a.rule} at ${a.path}\n      why: ${a.reason}`);
    lines.push('');
  }
  const errors = unacknowledgedErrors(results);
  lines.push(
    errors === 0
      ? 'No unacknowledged errors.'
      : `${errors} unacknowledged error(s): fix them in the constructs, or acknowledge one resource with a reason.`,
  );
  return lines.join('\n') + '\n';
}

export function renderMarkdown(results: readonly EnvironmentCompliance[]): string {
  const lines: string[] = ['# mq-platform compliance report', ''];
  for (const r of results) {
    lines.push(`## ${r.environment}`, '', '| Pack | Errors | Warnings | Acknowledged |', '| --- | ---: | ---: | ---: |');
    for (const p of r.packs) lines.push(`| ${p.pack} | ${p.errors} | ${p.warnings} | ${p.acknowledgements} |`);
    lines.push('');
    if (r.findings.length) {
      lines.push('### Findings', '', '| Severity | Pack | Rule | Resource | Description |', '| --- | --- | --- | --- | --- |');
      for (const f of r.findings)
        for (const at of f.paths)
          lines.push(`| ${f.severity} | ${f.pack} | ${f.rule} | \`${at}\` | ${f.description.replace(/\|/g, '\\|')} |`);
      lines.push('');
    }
    if (r.acknowledgements.length) {
      lines.push('### Acknowledgements', '', '| Rule | Resource | Reason |', '| --- | --- | --- |');
      for (const a of r.acknowledgements) lines.push(`| ${a.pack}::${a.rule} | \`${a.path}\` | ${a.reason.replace(/\|/g, '\\|')} |`);
      lines.push('');
    }
  }
  const errors = unacknowledgedErrors(results);
  lines.push(errors === 0 ? '**No unacknowledged errors.**' : `**${errors} unacknowledged error(s).**`);
  return lines.join('\n') + '\n';
}

/**
 * `npm run compliance`: synthesizes every environment in config/ with every pack (Amazon MQ,
 * AwsSolutions, HIPAA Security, NIST 800-53 rev 5, PCI DSS 3.2.1, Control Tower guard rules) and
 * reports, per environment and pack, errors, warnings and acknowledgements with their reasons.
 * Exits 1 on any unacknowledged error.
 */
import * as fs from 'fs';
import { parseArgs } from 'util';
import { checkEnvironment, renderMarkdown, renderText, unacknowledgedErrors } from '../lib/compliance/compliance-report';
import { configPathForStage, loadConfigFile } from '../lib/config/load-config';
import { shippedStageNames } from '../lib/config/stages';

const HELP = `Usage: npm run compliance -- [--format text|json|md] [--output FILE] [--stage NAME ...]

Synthesizes environments with every compliance pack and prints a report.
  --format   text (default), json or md (a pull-request or audit attachment)
  --output   write the report to FILE instead of standard output
  --stage    an environment of config/ (repeatable; default: all of them)
Exit status: 0 no unacknowledged error, 1 unacknowledged errors, 2 usage or config error.`;

function main(): number {
  let args;
  try {
    args = parseArgs({
      options: {
        format: { type: 'string', default: 'text' },
        output: { type: 'string' },
        stage: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (e) {
    console.error(`${(e as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (args.help) {
    console.log(HELP);
    return 0;
  }
  if (!['text', 'json', 'md'].includes(args.format as string)) {
    console.error(`--format ${args.format} is not a format; allowed: text, json, md`);
    return 2;
  }
  const stages = args.stage ?? shippedStageNames();
  const results = [];
  for (const stage of stages) {
    process.stderr.write(`checking ${stage}...\n`);
    try {
      results.push(checkEnvironment(loadConfigFile(configPathForStage(stage))));
    } catch (e) {
      console.error((e as Error).message);
      return 2;
    }
  }
  const text =
    args.format === 'json' ? JSON.stringify(results, null, 2) + '\n' : args.format === 'md' ? renderMarkdown(results) : renderText(results);
  if (args.output) {
    fs.writeFileSync(args.output, text);
    process.stderr.write(`wrote ${args.output}\n`);
  } else {
    process.stdout.write(text);
  }
  return unacknowledgedErrors(results) === 0 ? 0 : 1;
}

process.exitCode = main();

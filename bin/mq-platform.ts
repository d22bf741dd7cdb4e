#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { addEnvironment } from '../lib/app/mq-platform-app';
import { addCompliance, COMPLIANCE_PACKS, type CompliancePacks } from '../lib/compliance/compliance';
import { configPathForStage, loadConfigFile } from '../lib/config/load-config';

// Pick the config: -c config=<path>, else -c stage=<name> (config/<name>.json), else dev.
// Compliance packs: -c compliance=all adds the heavy packs to the Amazon MQ pack (default mq).
const app = new App();
const packs = (app.node.tryGetContext('compliance') ?? 'mq') as CompliancePacks;

try {
  if (!COMPLIANCE_PACKS.includes(packs)) {
    throw new Error(`-c compliance=${packs} is not a pack selection; allowed: ${COMPLIANCE_PACKS.join(', ')}`);
  }
  const file = app.node.tryGetContext('config') ?? configPathForStage(String(app.node.tryGetContext('stage') ?? 'dev'));
  const config = loadConfigFile(file);
  addEnvironment(app, config, { configFile: file });
  addCompliance(app, config, packs);
  app.synth();
} catch (e) {
  // One clear message, no stack trace: the config is the user's to fix.
  console.error((e as Error).message);
  process.exit(1);
}

#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { addEnvironment } from '../lib/app/mq-platform-app';
import { CREATION_STACK_TRACES_OFF } from '../lib/app/synth';
import { addCompliance, COMPLIANCE_PACKS, type CompliancePacks } from '../lib/compliance/compliance';
import { configPathForStage, loadConfigFile } from '../lib/config/load-config';
import { loadPipeline, pipelinePath } from '../lib/pipeline/load-pipeline';
import { PipelineStack } from '../lib/pipeline/pipeline-stack';

// Pick the config: -c config=<path>, else -c stage=<name> (config/<name>.json), else dev.
// Compliance packs: -c compliance=all adds the heavy packs to the Amazon MQ pack (default mq).
// No creation stack trace per element (a measurable cost at scale); CDK_DEBUG=1 brings them back.
const app = new App({ context: { [CREATION_STACK_TRACES_OFF]: true } });
const packs = (app.node.tryGetContext('compliance') ?? 'mq') as CompliancePacks;

try {
  if (!COMPLIANCE_PACKS.includes(packs)) {
    throw new Error(`-c compliance=${packs} is not a pack selection; allowed: ${COMPLIANCE_PACKS.join(', ')}`);
  }
  const pipeline = app.node.tryGetContext('pipeline');
  if (pipeline !== undefined) {
    // -c pipeline=<name>: the delivery pipeline of config/pipelines/<name>.json (its stages hold the environments).
    const resolved = loadPipeline(pipelinePath(String(pipeline)));
    const c = resolved.config;
    new PipelineStack(app, `MqPlatform-Pipeline-${c.name}`, { env: { account: c.account, region: c.region }, pipeline: resolved });
    // Each environment's compliance is checked on its own (npm run compliance); the pipeline's by its tests.
    app.synth();
    process.exit(0);
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

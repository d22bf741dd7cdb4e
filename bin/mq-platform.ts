#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { addEnvironment } from '../lib/app/mq-platform-app';
import { configPathForStage, loadConfigFile } from '../lib/config/load-config';

// Pick the config: -c config=<path>, else -c stage=<name> (config/<name>.json), else dev.
const app = new App();
const file = app.node.tryGetContext('config') ?? configPathForStage(app.node.tryGetContext('stage') ?? 'dev');

try {
  addEnvironment(app, loadConfigFile(file));
} catch (e) {
  // One clear message, no stack trace: the config is the user's to fix.
  console.error((e as Error).message);
  process.exit(1);
}
app.synth();

#!/usr/bin/env node
// Runs the TypeScript CLI through tsx so no build step is needed after `npm ci`.
require('tsx/cjs');
require('./mq-platform-cli.ts');

/**
 * One temporary folder per `jest` run, removed at its end: every App without an outdir writes a
 * cdk.out* folder under os.tmpdir(), and the workers inherit TMPDIR from here.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');

module.exports = async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mq-platform-jest-'));
  process.env.MQ_PLATFORM_TEST_TMPDIR = dir;
  process.env.TMPDIR = dir;
  // Node 20 is the project's runtime (GUIDE); the SDK's notice about a future Node 22 floor is not a test finding.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
};

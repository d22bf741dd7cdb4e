/**
 * Jest setup (setupFilesAfterEnv, once per test file): Apps from lib/app/synth.ts skip what unit
 * tests pay for without asserting it.
 * - aws-cdk-lib's CloudFormation template validator: seconds per synth and per test file (its WASM
 *   engine starts anew in every file). test/app/cloudformation-validate.test.ts synthesizes every
 *   fixture and shipped config WITH it and fails on any finding, `npm run compliance` and the
 *   snapshot test keep it too; a test about it passes `cloudFormationValidation: true`.
 * - creation stack traces (aws:cdk:creationStack): no test reads them.
 * Tests that build `new App()` by hand use plainApp() from ./apps for the same.
 */
import { setAppDefaults } from '../../lib/app/synth';

setAppDefaults({ cloudFormationValidation: false, creationStackTraces: false });

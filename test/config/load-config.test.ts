import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { configPathForStage, loadConfigFile } from '../../lib/config/load-config';
import { minimalConfig } from '../support/configs';

describe('loadConfigFile', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mq-config-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };

  // A config folder of our own, so that the shipped configs stay free to come and go.
  const stages = path.join(dir, 'config');
  fs.mkdirSync(stages);
  for (const f of ['dev.json', 'prod.json', 'schema.json']) fs.writeFileSync(path.join(stages, f), '{}');

  test('maps a stage to config/<stage>.json', () => {
    expect(configPathForStage('prod', stages)).toBe(path.join(stages, 'prod.json'));
  });

  test.each([
    ['staging', '-c stage=staging: there is no config/staging.json; allowed: dev, prod (config/<stage>.json), or -c config=<path>'],
    [
      'prod.json',
      '-c stage=prod.json: is not a stage name (without ".json": -c stage=prod); allowed: dev, prod (config/<stage>.json), or -c config=<path>',
    ],
    ['../etc', '-c stage=../etc: is not a stage name; allowed: dev, prod (config/<stage>.json), or -c config=<path>'],
  ])('-c stage=%s names the stages there are', (stage, message) => {
    expect(() => configPathForStage(stage, stages)).toThrow(new Error(message));
  });

  test('resolves defaults of a valid file', () => {
    const config = loadConfigFile(write('ok.json', JSON.stringify(minimalConfig())));
    expect(config.protected).toBe(false);
    expect(config.brokers[0]).toMatchObject({
      brokerName: 'amq-test',
      storageType: 'EFS',
      protocols: ['OPENWIRE', 'STOMP', 'AMQP'],
      logs: { general: true, audit: true },
      maintenanceWindow: { dayOfWeek: 'SUNDAY', timeOfDay: '03:00', timeZone: 'UTC' },
    });
    expect(config.brokers[1]).toMatchObject({ storageType: 'EBS', protocols: ['AMQP'], logs: { general: true, audit: false } });
  });

  test('names a missing file and says how to pick one', () => {
    expect(() => loadConfigFile(path.join(dir, 'nope.json'))).toThrow(
      /nope\.json: cannot read the config file; pass -c stage=<name> for config\/<name>\.json or -c config=<path>/,
    );
  });

  test.each([
    ['truncated', '{ "environment": ', 'bad.json:1:18: a value is expected (no trailing comma before "]" or "}")'],
    [
      'trailing comma',
      '{\n  "environment": "dev",\n}',
      'bad.json:3:1: a quoted property name is expected (no trailing comma before "}") near "}"',
    ],
    ['single quotes', "{\n  'environment': 'dev'\n}", `bad.json:2:3: this is not JSON (strings take double quotes) near "'environment'"`],
    [
      'missing comma',
      '{\n  "environment": "dev"\n  "region": "eu-west-1"\n}',
      'bad.json:3:3: a comma is expected between entries near "\\"region\\""',
    ],
  ])('a syntax error (%s) is named with its line and column', (_name, text, where) => {
    const file = write('bad.json', text);
    expect(() => loadConfigFile(file)).toThrow(
      new Error(`${file}: is not valid JSON (comments are allowed):\n  - ${path.dirname(file)}/${where}`),
    );
  });

  test('JSON with comments (JSONC, as in the docs) is accepted', () => {
    const text = JSON.stringify(minimalConfig(), null, 2).replace('{', '{\n  // a line comment\n  /* a block comment */');
    expect(loadConfigFile(write('commented.json', text)).environment).toBe('test');
  });
});

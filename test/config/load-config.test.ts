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

  test('maps a stage to config/<stage>.json', () => {
    expect(configPathForStage('prod')).toBe(path.resolve(__dirname, '..', '..', 'config', 'prod.json'));
  });

  test('refuses a stage that is not a file name', () => {
    expect(() => configPathForStage('../etc')).toThrow('stage "../etc" is not a config name; allowed: lower-case letters, digits and "-" (config/<stage>.json)');
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
    expect(() => loadConfigFile(path.join(dir, 'nope.json'))).toThrow(/nope\.json: cannot read the config file; pass -c stage=<name> for config\/<name>\.json or -c config=<path>/);
  });

  test('names a file that is not JSON', () => {
    expect(() => loadConfigFile(write('bad.json', '{ "environment": '))).toThrow(/bad\.json: is not valid JSON: /);
  });
});

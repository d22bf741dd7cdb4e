/**
 * The two soak setups: real local brokers behind the emulated Amazon MQ API, the secrets the
 * rotation contract describes (ROTATION-CONTRACT.md sections 2 and 3), and the cycles with faults.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CreateSecretCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { BrokerTarget } from '../../../lib/rotation/types';
import type { EmulatedUser } from '../emulator/amazon-mq';
import { LocalActiveMq, LocalRabbit } from '../emulator/local-brokers';
import type { AwsEmulator } from '../emulator/server';
import { TcpProxy } from '../emulator/tcp-proxy';
import { RabbitBroker, secret, type TestCa } from '../harness/brokers';
import { afterCalls, type Cycle } from './cycles';

/** The rotation function's access key id in the soak (its SDK clients sign with it). */
export const FUNCTION_KEY_ID = 'AKIAROTATIONFUNCTION';

export interface EngineSetup {
  readonly label: string;
  readonly engine: 'ACTIVEMQ' | 'RABBITMQ';
  readonly brokerId: string;
  readonly target: BrokerTarget;
  /** Where clients connect (directly, not through the fault proxies). */
  readonly clientEndpoints: string[];
  /** Application secrets clients read. */
  readonly appSecrets: string[];
  /** Rotations the verdict requires. @default 5 */
  readonly minRotations?: number;
  /** Run after the rotator exists (e.g. RabbitMQ users created by the custom resource). */
  prepare?(handler: (event: unknown) => Promise<unknown>, emu: AwsEmulator): Promise<string>;
  cycles(functionArn: string): Cycle[];
  /** Connections the fault proxies refused (the probe's "cannot connect"). */
  blocked(): number;
  stop(): Promise<void>;
}

/** Each soak password: hex, so valid for Amazon MQ and safe in XML. */
const pw = () => `${secret()}Aa`;

async function createSecret(sm: SecretsManagerClient, name: string, value: object): Promise<string> {
  const out = await sm.send(new CreateSecretCommand({ Name: name, SecretString: JSON.stringify(value) }));
  return out.ARN!;
}

const PREFIX = 'mq-platform/soak/';

/**
 * ActiveMQ 5.17 active/standby: two JVMs on one KahaDB directory (the file lock picks the active),
 * two application pairs (app, billing) on one broker.
 */
export async function activeMqSetup(dir: string, ca: TestCa, emu: AwsEmulator, sm: SecretsManagerClient): Promise<EngineSetup> {
  const names = ['app', 'app_clone', 'billing', 'billing_clone'];
  const users: EmulatedUser[] = names.map((username) => ({ username, password: pw(), groups: ['users'], consoleAccess: false }));
  const pass = (u: string) => users.find((x) => x.username === u)!.password;
  const backend = new LocalActiveMq(dir, ca, 'orders', users, 'ACTIVE_STANDBY_MULTI_AZ');
  await backend.start();
  // The API describes the instances' endpoints as proxies: the function (which finds them with
  // DescribeBroker) can be cut off alone, while the load clients connect to the brokers directly.
  const proxies = backend.instances.map((i) => new TcpProxy(i.port));
  for (const p of proxies) await p.start();
  const brokerId = emu.mq.addBroker({
    brokerName: 'orders-soak',
    engineType: 'ACTIVEMQ',
    engineVersion: '5.17.6',
    deploymentMode: 'ACTIVE_STANDBY_MULTI_AZ',
    instances: proxies.map((p) => ({ endpoints: [`ssl://127.0.0.1:${p.port}`, `stomp+ssl://127.0.0.1:${p.port}`] })),
    users,
    backend,
  });
  const prefix = `${PREFIX}orders/`;
  const credentials = [];
  const appSecrets: string[] = [];
  for (const u of ['app', 'billing']) {
    const secretArn = await createSecret(sm, `${prefix}${u}`, { username: u, password: pass(u) });
    appSecrets.push(secretArn);
    const brokerUserSecretArns: Record<string, string> = {};
    for (const b of [u, `${u}_clone`])
      brokerUserSecretArns[b] = await createSecret(sm, `${prefix}broker-users/${b}`, { username: b, password: pass(b) });
    credentials.push({ secretArn, username: u, partnerUsername: `${u}_clone`, brokerUserSecretArns });
  }
  // As the construct writes it (contract section 3, B1 05:54): no broker id, ARN or endpoints; the
  // function finds them with ListBrokers and DescribeBroker.
  const target: BrokerTarget = {
    engine: 'ACTIVEMQ',
    brokerName: 'orders-soak',
    deploymentMode: 'ACTIVE_STANDBY_MULTI_AZ',
    allowReboot: true,
    credentials,
  };
  const [app, billing] = appSecrets;
  const probeFault =
    (emuRef: AwsEmulator): Cycle['during'] =>
    async () => {
      // The probe cannot connect until the first attempt has failed; the service's retry then completes.
      await new Promise<void>((resolve) => {
        const on = (o: { ok: boolean }) => {
          if (!o.ok) {
            emuRef.secretsManager.off('rotation', on);
            resolve();
          }
        };
        emuRef.secretsManager.on('rotation', on);
      });
      for (const p of proxies) p.mode = 'pass';
    };
  return {
    label: 'ActiveMQ 5.17 (Debian), ACTIVE_STANDBY_MULTI_AZ: 2 instances on one KahaDB',
    engine: 'ACTIVEMQ',
    brokerId,
    target,
    clientEndpoints: backend.endpoints,
    appSecrets,
    cycles: () => [
      { name: 'a1', secrets: [app], faults: ['RebootBroker refused once'], before: () => void emu.mq.refuseReboots.set(brokerId, 1) },
      { name: 'a2', secrets: [app, billing], faults: ['second user of the broker at the same moment'] },
      {
        name: 'a3',
        secrets: [billing],
        faults: ['DescribeUser hangs past the client timeout', 'RebootBroker answer lost (done, reply after the client timeout)'],
        before: () => {
          emu.hangs.push(
            { operation: 'mq.DescribeUser', ms: 5000, accessKeyId: FUNCTION_KEY_ID },
            { operation: 'mq.RebootBroker', ms: 5000, applied: true, accessKeyId: FUNCTION_KEY_ID },
          );
        },
      },
      {
        name: 'a4',
        secrets: [app],
        faults: ['probe cannot connect (connections black-holed: timeout) until the first attempt fails'],
        before: () => {
          for (const p of proxies) p.mode = 'blackhole';
        },
        during: probeFault(emu),
        after: () => {
          for (const p of proxies) p.mode = 'pass';
        },
      },
      {
        name: 'a5',
        secrets: [app, billing],
        faults: ['maintenance reboot after the first UpdateUser', 'second user at the same moment'],
        during: async () => {
          // Mid-rotation: once a pending change is recorded (a pair the last batch prepared may need none).
          await Promise.race([afterCalls(emu, 'mq.UpdateUser').catch(() => undefined), new Promise((r) => setTimeout(r, 15000))]);
          await emu.mq.maintenanceReboot(brokerId);
        },
      },
      { name: 'a6', secrets: [billing, app], faults: ['none (steady state)'] },
      {
        name: 'a7',
        secrets: [billing],
        faults: ['probe cannot connect (refused) on every attempt: the rotation must fail cleanly'],
        before: () => {
          for (const p of proxies) p.mode = 'refuse';
        },
        after: () => {
          for (const p of proxies) p.mode = 'pass';
        },
      },
      { name: 'a8', secrets: [billing], faults: ['rerun of the failed rotation once the network is back (RotateSecret reattempts it)'] },
    ],
    blocked: () => proxies.reduce((n, p) => n + p.blocked, 0),
    stop: async () => {
      for (const p of proxies) await p.stop();
      await backend.stop();
    },
  };
}

/**
 * ActiveMQ 5.17 SINGLE_INSTANCE without the downtime opt-in (`allowReboot: false`): rotation must
 * never reboot it; the rotation fails cleanly with the change pending until the maintenance window,
 * whose reboot applies it, and the rerun finishes without a reboot of its own.
 */
export async function activeMqSingleSetup(dir: string, ca: TestCa, emu: AwsEmulator, sm: SecretsManagerClient): Promise<EngineSetup> {
  const users: EmulatedUser[] = ['app', 'app_clone'].map((username) => ({
    username,
    password: pw(),
    groups: ['users'],
    consoleAccess: false,
  }));
  const pass = (u: string) => users.find((x) => x.username === u)!.password;
  const backend = new LocalActiveMq(dir, ca, 'payments', users, 'SINGLE_INSTANCE');
  await backend.start();
  const brokerId = emu.mq.addBroker({
    brokerName: 'payments-soak',
    engineType: 'ACTIVEMQ',
    engineVersion: '5.17.6',
    deploymentMode: 'SINGLE_INSTANCE',
    instances: backend.endpoints.map((e) => ({ endpoints: [e] })),
    users,
    backend,
  });
  const prefix = `${PREFIX}payments/`;
  const secretArn = await createSecret(sm, `${prefix}app`, { username: 'app', password: pass('app') });
  const brokerUserSecretArns: Record<string, string> = {};
  for (const b of ['app', 'app_clone'])
    brokerUserSecretArns[b] = await createSecret(sm, `${prefix}broker-users/${b}`, { username: b, password: pass(b) });
  const target: BrokerTarget = {
    engine: 'ACTIVEMQ',
    brokerName: 'payments-soak',
    deploymentMode: 'SINGLE_INSTANCE',
    allowReboot: false,
    credentials: [{ secretArn, username: 'app', partnerUsername: 'app_clone', brokerUserSecretArns }],
  };
  return {
    label: 'ActiveMQ 5.17 (Debian), SINGLE_INSTANCE without acceptRebootDowntime',
    engine: 'ACTIVEMQ',
    brokerId,
    target,
    clientEndpoints: backend.endpoints,
    appSecrets: [secretArn],
    minRotations: 2,
    cycles: () => [
      {
        name: 's1',
        secrets: [secretArn],
        faults: ['rotation may not reboot: must fail cleanly, change pending until the maintenance window'],
      },
      {
        name: 's2',
        secrets: [secretArn],
        faults: ['maintenance reboot applies the pending change, then the rerun (RotateSecret reattempts it)'],
        before: () => emu.mq.maintenanceReboot(brokerId),
      },
    ],
    blocked: () => 0,
    stop: () => backend.stop(),
  };
}

/**
 * RabbitMQ 3.10 single node: the harness user `app` is the administrator created with the broker;
 * two application pairs (events, audit) made by the users custom resource.
 */
export async function rabbitMqSetup(dir: string, ca: TestCa, emu: AwsEmulator, sm: SecretsManagerClient): Promise<EngineSetup> {
  const node = new RabbitBroker(path.join(dir, 'rabbit'), ca);
  await node.start();
  const backend = new LocalRabbit(node);
  const amqpProxy = new TcpProxy(node.port);
  const mgmtProxy = new TcpProxy(node.managementPort);
  await amqpProxy.start();
  await mgmtProxy.start();
  const brokerId = emu.mq.addBroker({
    brokerName: 'events-soak',
    engineType: 'RABBITMQ',
    engineVersion: '3.10',
    deploymentMode: 'SINGLE_INSTANCE',
    instances: [{ endpoints: [`amqps://127.0.0.1:${node.port}`], consoleURL: node.managementUrl }],
    backend,
  });
  const prefix = `${PREFIX}events/`;
  const adminArn = await createSecret(sm, `${prefix}${node.username}`, { username: node.username, password: node.password });
  const appSecrets: string[] = [];
  for (const u of ['events', 'audit']) appSecrets.push(await createSecret(sm, `${prefix}${u}`, { username: u, password: pw() }));
  // As the construct writes it (contract, B3 05:57).
  const target: BrokerTarget = {
    engine: 'RABBITMQ',
    brokerId,
    brokerArn: emu.mq.arnOf(brokerId),
    brokerName: 'events-soak',
    deploymentMode: 'SINGLE_INSTANCE',
    managementUrl: `http://127.0.0.1:${mgmtProxy.port}`,
    // One comma-separated string, as the construct writes it (Fn::Join).
    amqpEndpoints: `amqps://127.0.0.1:${amqpProxy.port}`,
    administratorSecretArn: adminArn,
    credentials: [
      { secretArn: appSecrets[0], username: 'events', partnerUsername: 'events_clone' },
      { secretArn: appSecrets[1], username: 'audit', partnerUsername: 'audit_clone' },
      { secretArn: adminArn, username: node.username },
    ],
  };
  const [events, audit] = appSecrets;
  return {
    label: 'RabbitMQ 3.10 (Debian), SINGLE_INSTANCE',
    engine: 'RABBITMQ',
    brokerId,
    target,
    clientEndpoints: [`amqps://127.0.0.1:${node.port}`],
    appSecrets,
    async prepare(handler, emuRef) {
      // The users custom resource (contract section 7) creates both users of each pair.
      for (const [i, u] of ['events', 'audit'].entries()) {
        await handler({
          RequestType: 'Create',
          ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:soak',
          ResponseURL: emuRef.cloudFormationResponseUrl(`soak-${u}`),
          StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/soak/1',
          RequestId: `soak-${u}`,
          LogicalResourceId: `Users${u}`,
          ResourceType: 'Custom::RabbitMqUser',
          ResourceProperties: {
            ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:soak',
            Kind: 'RabbitMqUser',
            BrokerId: brokerId,
            ManagementUrl: target.managementUrl,
            AdministratorSecretArn: adminArn,
            SecretArn: appSecrets[i],
            Username: u,
            PartnerUsername: `${u}_clone`,
            Tags: [],
            Permissions: [{ Vhost: '/', Configure: '.*', Write: '.*', Read: '.*' }],
          },
        });
      }
      const statuses = emuRef.cloudFormationResponses.map(
        (r) => `${String(r.PhysicalResourceId)} ${String(r.Status)}${r.Reason ? ` (${String(r.Reason)})` : ''}`,
      );
      if (emuRef.cloudFormationResponses.some((r) => r.Status !== 'SUCCESS'))
        throw new Error(`users custom resource failed: ${statuses.join('; ')}`);
      return `users custom resource (Kind RabbitMqUser) created events/events_clone and audit/audit_clone: ${statuses.join('; ')}`;
    },
    cycles: () => [
      { name: 'r1', secrets: [events], faults: ['none (first rotation of the pair)'] },
      { name: 'r2', secrets: [events, audit], faults: ['second user of the broker at the same moment'] },
      {
        name: 'r3',
        secrets: [audit],
        faults: ['PutSecretValue answer lost (stored, reply after the client timeout)', 'GetSecretValue hangs past the client timeout'],
        before: () => {
          emu.hangs.push(
            { operation: 'secretsmanager.PutSecretValue', ms: 5000, applied: true, accessKeyId: FUNCTION_KEY_ID },
            { operation: 'secretsmanager.GetSecretValue', ms: 5000, accessKeyId: FUNCTION_KEY_ID },
          );
        },
      },
      {
        name: 'r4',
        secrets: [events],
        faults: ['probe cannot connect (AMQPS black-holed: timeout) until the first attempt fails'],
        before: () => {
          amqpProxy.mode = 'blackhole';
        },
        during: async () => {
          await new Promise<void>((resolve) => {
            const on = (o: { ok: boolean }) => {
              if (!o.ok) {
                emu.secretsManager.off('rotation', on);
                resolve();
              }
            };
            emu.secretsManager.on('rotation', on);
          });
          amqpProxy.mode = 'pass';
        },
        after: () => {
          amqpProxy.mode = 'pass';
        },
      },
      {
        name: 'r5',
        secrets: [events, audit],
        faults: ['maintenance reboot (node restart) during the rotation', 'second user at the same moment'],
        during: async () => {
          await emu.mq.maintenanceReboot(brokerId);
        },
      },
      { name: 'r6', secrets: [adminArn], faults: ['administrator rotated (single user, platform only; its own hour)'] },
      {
        name: 'r7',
        secrets: [audit],
        faults: ['probe cannot connect (refused) on every attempt: the rotation must fail cleanly'],
        before: () => {
          amqpProxy.mode = 'refuse';
        },
        after: () => {
          amqpProxy.mode = 'pass';
        },
      },
      { name: 'r8', secrets: [audit], faults: ['rerun of the failed rotation once the network is back (RotateSecret reattempts it)'] },
      {
        name: 'r9',
        secrets: [events, audit],
        faults: ['rerun of anything still incomplete (e.g. r5 if the restart outlasted its attempts)'],
      },
    ],
    blocked: () => amqpProxy.blocked + mgmtProxy.blocked,
    stop: async () => {
      await amqpProxy.stop();
      await mgmtProxy.stop();
      await node.shutdown();
      fs.rmSync(path.join(dir, 'rabbit', 'mnesia'), { recursive: true, force: true });
    },
  };
}

/**
 * One HTTP server on 127.0.0.1 that answers as Amazon MQ (REST-JSON) and Secrets Manager
 * (JSON 1.1, `X-Amz-Target: secretsmanager.*`). The real AWS SDK v3 clients reach it through
 * `AWS_ENDPOINT_URL_MQ` / `AWS_ENDPOINT_URL_SECRETS_MANAGER` (see `env()`) or their `endpoint`
 * setting. Requests are not authenticated (any SigV4 signature is accepted).
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AmazonMqEmulator, type AmazonMqOptions } from './amazon-mq';
import { ServiceError } from './errors';
import { SecretsManagerEmulator, type SecretsManagerOptions } from './secrets-manager';

/** Fault: one call of an operation answers only after `ms`, e.g. past the client's timeout. */
export interface HangRule {
  /** `mq.<OperationId>` (DescribeBroker, RebootBroker, UpdateUser, ...) or `secretsmanager.<Op>`. */
  readonly operation: string;
  /** Calls to hang. @default 1 */
  times?: number;
  /** @default 30000 */
  readonly ms?: number;
  /** `true`: the call takes effect at once and only its answer is late (a lost response). @default false */
  readonly applied?: boolean;
  /** Only calls signed with this access key id (one caller among several). @default any caller */
  readonly accessKeyId?: string;
}

export interface ApiCall {
  readonly at: number;
  readonly operation: string;
  readonly status: number;
  readonly hung?: boolean;
}

export interface EmulatorOptions {
  readonly mq?: AmazonMqOptions;
  readonly secretsManager?: SecretsManagerOptions;
}

export class AwsEmulator {
  readonly mq: AmazonMqEmulator;
  readonly secretsManager: SecretsManagerEmulator;
  readonly calls: ApiCall[] = [];
  readonly hangs: HangRule[] = [];
  /** Custom-resource responses PUT to `cloudFormationResponseUrl()` (what CloudFormation's pre-signed S3 URL receives). */
  readonly cloudFormationResponses: Record<string, unknown>[] = [];
  private server?: http.Server;
  private readonly sockets = new Set<import('node:net').Socket>();
  url = '';

  constructor(options: EmulatorOptions = {}) {
    this.mq = new AmazonMqEmulator(options.mq);
    this.secretsManager = new SecretsManagerEmulator(options.secretsManager);
  }

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => void this.serve(req, res));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Environment for SDK clients (endpoints, region, dummy credentials) of this emulator. */
  env(): Record<string, string> {
    return {
      AWS_ENDPOINT_URL_MQ: this.url,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: this.url,
      AWS_REGION: this.mq.region,
      AWS_ACCESS_KEY_ID: 'AKIAEMULATOR00000000',
      AWS_SECRET_ACCESS_KEY: 'emulator-secret-access-key-not-a-secret',
      AWS_EC2_METADATA_DISABLED: 'true',
    };
  }

  /** A ResponseURL for custom-resource events; the PUT body lands in `cloudFormationResponses`. */
  cloudFormationResponseUrl(requestId: string): string {
    return `${this.url}/cloudformation-response/${encodeURIComponent(requestId)}`;
  }

  /** Calls of an operation so far. */
  count(operation: string): number {
    return this.calls.filter((c) => c.operation === operation).length;
  }

  private takeHang(operation: string, accessKeyId: string | undefined): HangRule | undefined {
    const rule = this.hangs.find(
      (h) => h.operation === operation && (h.times ?? 1) > 0 && (!h.accessKeyId || h.accessKeyId === accessKeyId),
    );
    if (rule) rule.times = (rule.times ?? 1) - 1;
    return rule;
  }

  private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const target = req.headers['x-amz-target'];
    const isSm = typeof target === 'string' && target.startsWith('secretsmanager.');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    if (method === 'PUT' && url.pathname.startsWith('/cloudformation-response/')) {
      this.cloudFormationResponses.push(JSON.parse(text) as Record<string, unknown>);
      res.writeHead(200);
      res.end();
      return;
    }
    const operation = isSm ? target : `mq.${mqOperation(method, url.pathname)}`;
    const hang = this.takeHang(operation, /Credential=([^/]+)\//.exec(String(req.headers.authorization ?? ''))?.[1]);
    const run = async (): Promise<[number, unknown]> => {
      const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      if (isSm) return [200, this.secretsManager.handle(target.slice('secretsmanager.'.length), body)];
      return this.mq.handle(method, url.pathname, url.searchParams, body);
    };
    let result: [number, unknown];
    try {
      if (hang && !hang.applied) {
        await sleep(hang.ms ?? 30000);
        // The client gave up: a call it abandoned never reached the service.
        if (req.socket.destroyed) return this.record(operation, 0, true);
      }
      result = await run();
    } catch (e) {
      result = [e instanceof ServiceError ? e.status : 500, e];
    }
    if (hang?.applied) await sleep(hang.ms ?? 30000);
    if (req.socket.destroyed) return this.record(operation, 0, !!hang);
    const [status, payload] = result;
    this.record(operation, status, !!hang);
    if (payload instanceof Error) {
      const code = payload instanceof ServiceError ? payload.code : 'InternalServerErrorException';
      const errBody = isSm
        ? { __type: code, Message: payload.message }
        : { errorAttribute: (payload as { errorAttribute?: string }).errorAttribute, message: payload.message };
      res.writeHead(status, {
        'content-type': isSm ? 'application/x-amz-json-1.1' : 'application/json',
        'x-amzn-errortype': code,
        'x-amzn-requestid': reqId(),
      });
      res.end(JSON.stringify(errBody));
      return;
    }
    if (status === 204) {
      res.writeHead(204, { 'x-amzn-requestid': reqId() });
      res.end();
      return;
    }
    res.writeHead(status, { 'content-type': isSm ? 'application/x-amz-json-1.1' : 'application/json', 'x-amzn-requestid': reqId() });
    res.end(JSON.stringify(payload ?? {}));
  }

  private record(operation: string, status: number, hung: boolean): void {
    this.calls.push({ at: Date.now(), operation, status, ...(hung ? { hung } : {}) });
  }
}

/** The operation id of an Amazon MQ REST call, for fault rules and counts. */
export function mqOperation(method: string, path: string): string {
  const p = path.split('/').filter(Boolean);
  if (p[1] === 'tags') return method === 'GET' ? 'ListTags' : method === 'POST' ? 'CreateTags' : 'DeleteTags';
  if (p.length === 2) return 'ListBrokers';
  if (p.length === 3) return method === 'GET' ? 'DescribeBroker' : method === 'PUT' ? 'UpdateBroker' : 'DeleteBroker';
  if (p[3] === 'reboot') return 'RebootBroker';
  if (p[3] === 'promote') return 'Promote';
  if (p[3] === 'users' && p.length === 4) return 'ListUsers';
  if (p[3] === 'users')
    return (
      ({ GET: 'DescribeUser', POST: 'CreateUser', PUT: 'UpdateUser', DELETE: 'DeleteUser' } as Record<string, string>)[method] ?? 'Unknown'
    );
  return 'Unknown';
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function reqId(): string {
  return Math.random().toString(16).slice(2) + Date.now().toString(16);
}

/**
 * A TCP proxy on 127.0.0.1 in front of one broker port, to make "cannot connect" happen on demand
 * (network, security group or TLS trouble seen from the rotation function) without touching the broker.
 * Modes: `pass` forwards; `refuse` resets new connections at once; `blackhole` accepts and never
 * answers (the caller's timeout fires). Open connections are left alone when the mode changes.
 */
import * as net from 'node:net';

export type ProxyMode = 'pass' | 'refuse' | 'blackhole';

export class TcpProxy {
  mode: ProxyMode = 'pass';
  port = 0;
  /** Connections refused or black-holed so far. */
  blocked = 0;
  private server?: net.Server;
  private readonly sockets = new Set<net.Socket>();

  constructor(private readonly targetPort: number) {}

  async start(port = 0): Promise<number> {
    this.server = net.createServer((client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as net.AddressInfo).port;
    return this.port;
  }

  /** Applies a mode for `ms`, then goes back to `pass`. */
  for(mode: ProxyMode, ms: number): void {
    this.mode = mode;
    setTimeout(() => (this.mode = 'pass'), ms).unref();
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private track(s: net.Socket): void {
    this.sockets.add(s);
    s.on('close', () => this.sockets.delete(s));
    s.on('error', () => undefined);
  }

  private accept(client: net.Socket): void {
    this.track(client);
    if (this.mode === 'refuse') {
      this.blocked++;
      client.resetAndDestroy();
      return;
    }
    if (this.mode === 'blackhole') {
      this.blocked++;
      client.setTimeout(120000, () => client.destroy());
      return;
    }
    const upstream = net.connect({ host: '127.0.0.1', port: this.targetPort });
    this.track(upstream);
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end);
    upstream.on('close', end);
  }
}

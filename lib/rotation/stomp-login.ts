import * as tls from 'node:tls';
import type { Credentials } from './types';

/** Whether credentials log in to an ActiveMQ broker; injectable for tests. */
export type LoginProbe = (endpoints: readonly string[], creds: Credentials) => Promise<boolean>;

/**
 * Logs in over STOMP+SSL (port 61614, always open on Amazon MQ for ActiveMQ) and disconnects: the
 * cheapest real proof that a user's password works. True when any endpoint answers CONNECTED
 * (active/standby: only the active instance listens); false when all refuse or reject the login.
 */
export function stompLoginProbe(timeoutMs = 10000): LoginProbe {
  return async (endpoints, creds) => {
    for (const endpoint of endpoints) {
      if (await stompLogin(endpoint, creds, timeoutMs)) return true;
    }
    return false;
  };
}

async function stompLogin(endpoint: string, creds: Credentials, timeoutMs: number): Promise<boolean> {
  const u = new URL(endpoint.replace(/^stomp\+ssl:/, 'https:'));
  const host = u.hostname;
  const port = Number(u.port || 61614);
  return new Promise<boolean>((resolve) => {
    let answer = '';
    const socket = tls.connect({ host, port, servername: host, timeout: timeoutMs }, () => {
      // STOMP 1.2: CONNECT headers are not escaped; generated passwords hold no ':' or newline.
      socket.write(`CONNECT\naccept-version:1.2\nhost:${host}\nlogin:${creds.username}\npasscode:${creds.password}\nheart-beat:0,0\n\n\0`);
    });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('utf8');
      if (!answer.includes('\0')) return;
      if (answer.startsWith('CONNECTED')) socket.write('DISCONNECT\n\n\0', () => done(true));
      else done(false);
    });
    socket.on('timeout', () => done(false));
    socket.on('error', () => done(false));
    socket.on('close', () => resolve(answer.startsWith('CONNECTED')));
  });
}

/** A STOMP 1.2 frame. Header order is kept; on repeats the first value wins (STOMP 1.2, "Repeated Header Entries"). */
export interface StompFrame {
  readonly command: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

// CONNECT/CONNECTED headers are not escaped (STOMP 1.2, "Value Encoding").
const UNESCAPED_COMMANDS = new Set(['CONNECT', 'STOMP', 'CONNECTED']);

function escapeHeader(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\r/g, '\\r').replace(/\n/g, '\\n').replace(/:/g, '\\c');
}

function unescapeHeader(v: string): string {
  return v.replace(/\\(.)/g, (_m, c: string) => {
    switch (c) {
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 'c':
        return ':';
      case '\\':
        return '\\';
      default:
        return c;
    }
  });
}

/** Encodes a frame; always sends content-length so bodies may contain NUL bytes. */
export function encodeFrame(command: string, headers: Record<string, string | undefined>, body?: Buffer | string): Buffer {
  const bodyBuf = body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  const raw = UNESCAPED_COMMANDS.has(command);
  const lines = [command];
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    lines.push(raw ? `${k}:${v}` : `${escapeHeader(k)}:${escapeHeader(v)}`);
  }
  if (bodyBuf.length > 0 || command === 'SEND') lines.push(`content-length:${bodyBuf.length}`);
  return Buffer.concat([Buffer.from(lines.join('\n') + '\n\n', 'utf8'), bodyBuf, Buffer.from([0])]);
}

/** Incremental parser: feed it socket chunks, get complete frames back. Heart-beat EOLs are skipped. */
export class StompFrameParser {
  private buf: Buffer = Buffer.alloc(0);

  /** Maximum buffered bytes before the parser gives up (protects against a broken peer). @default 16 MiB */
  constructor(private readonly maxBytes: number = 16 * 1024 * 1024) {}

  push(chunk: Buffer): StompFrame[] {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    if (this.buf.length > this.maxBytes) throw new Error('STOMP frame too large');
    const frames: StompFrame[] = [];
    for (;;) {
      let start = 0;
      while (start < this.buf.length && (this.buf[start] === 0x0a || this.buf[start] === 0x0d)) start++;
      if (start > 0) this.buf = this.buf.subarray(start);
      if (this.buf.length === 0) break;
      const frame = this.tryParse();
      if (!frame) break;
      frames.push(frame);
    }
    return frames;
  }

  private tryParse(): StompFrame | undefined {
    const headerEnd = findHeaderEnd(this.buf);
    if (!headerEnd) return undefined;
    const lines = this.buf
      .subarray(0, headerEnd.index)
      .toString('utf8')
      .split('\n')
      .map((l) => l.replace(/\r$/, ''));
    const command = lines[0];
    const raw = UNESCAPED_COMMANDS.has(command);
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const i = line.indexOf(':');
      if (i < 0) continue;
      const k = raw ? line.slice(0, i) : unescapeHeader(line.slice(0, i));
      const v = raw ? line.slice(i + 1) : unescapeHeader(line.slice(i + 1));
      if (!(k in headers)) headers[k] = v;
    }
    const bodyStart = headerEnd.index + headerEnd.length;
    let bodyEnd: number;
    if (headers['content-length'] !== undefined) {
      const len = Number(headers['content-length']);
      if (!Number.isInteger(len) || len < 0) throw new Error('invalid STOMP content-length');
      if (this.buf.length < bodyStart + len + 1) return undefined;
      bodyEnd = bodyStart + len;
      if (this.buf[bodyEnd] !== 0) throw new Error('STOMP frame not NUL-terminated');
    } else {
      bodyEnd = this.buf.indexOf(0, bodyStart);
      if (bodyEnd < 0) return undefined;
    }
    const body = Buffer.from(this.buf.subarray(bodyStart, bodyEnd));
    this.buf = this.buf.subarray(bodyEnd + 1);
    return { command, headers, body };
  }
}

function findHeaderEnd(buf: Buffer): { index: number; length: number } | undefined {
  for (let i = 0; i < buf.length - 1; i++) {
    if (buf[i] !== 0x0a) continue;
    if (buf[i + 1] === 0x0a) return { index: i, length: 2 };
    if (buf[i + 1] === 0x0d && buf[i + 2] === 0x0a) return { index: i, length: 3 };
  }
  return undefined;
}

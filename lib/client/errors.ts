/**
 * Error kinds the tooling reports. The CLI maps each kind to one exit code,
 * so scripts can branch on the kind without parsing messages.
 */
export type MqErrorKind =
  'usage' | 'not-found' | 'no-credentials' | 'access-denied' | 'auth' | 'tls' | 'network' | 'timeout' | 'check-failed' | 'protocol';

/** Error with a kind and a hint that tells the operator what to do next. Never carries a password. */
export class MqPlatformError extends Error {
  public readonly kind: MqErrorKind;
  public readonly hint?: string;

  constructor(kind: MqErrorKind, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MqPlatformError';
    this.kind = kind;
    this.hint = options.hint;
  }
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);

/** Classifies a socket or TLS error from node into a MqPlatformError for the given endpoint. */
export function classifySocketError(err: unknown, where: string): MqPlatformError {
  if (err instanceof MqPlatformError) return err;
  const e = err as NodeJS.ErrnoException & { code?: string };
  const code = e?.code ?? '';
  if (code === 'ETIMEDOUT') {
    return new MqPlatformError('timeout', `timed out connecting to ${where}`, {
      hint: 'check security groups, routing and that the broker is running',
      cause: err,
    });
  }
  if (NETWORK_CODES.has(code)) {
    return new MqPlatformError('network', `cannot reach ${where} (${code})`, {
      hint: 'check the host and port, security groups and that the broker is running',
      cause: err,
    });
  }
  if (
    code.startsWith('ERR_TLS') ||
    code.startsWith('ERR_SSL') ||
    /certificate|self.signed|SSL|TLS/i.test(code + ' ' + (e?.message ?? ''))
  ) {
    return new MqPlatformError('tls', `TLS handshake with ${where} failed: ${e?.message ?? code}`, {
      hint: 'check the endpoint uses TLS and, for private CAs, pass --ca-file',
      cause: err,
    });
  }
  return new MqPlatformError('network', `connection to ${where} failed: ${e?.message ?? String(err)}`, {
    cause: err,
  });
}

import { MqErrorKind } from '../client/errors';

/** Exit codes scripts can rely on (documented in docs/operator-tooling.md). */
export const EXIT = {
  OK: 0,
  /** The round trip failed, or an unexpected error. */
  FAILED: 1,
  USAGE: 2,
  NOT_FOUND: 3,
  /** No/expired AWS credentials, AWS access denied, or the broker rejected the login. */
  AUTH: 4,
  /** Timeout, network or TLS failure. */
  NETWORK: 5,
} as const;

export function exitCodeFor(kind: MqErrorKind): number {
  switch (kind) {
    case 'usage':
      return EXIT.USAGE;
    case 'not-found':
      return EXIT.NOT_FOUND;
    case 'no-credentials':
    case 'access-denied':
    case 'auth':
      return EXIT.AUTH;
    case 'timeout':
    case 'network':
    case 'tls':
      return EXIT.NETWORK;
    case 'check-failed':
    case 'protocol':
      return EXIT.FAILED;
  }
}

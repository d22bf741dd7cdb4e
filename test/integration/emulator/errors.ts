/** An error the emulated service answers with: HTTP status, the service's error code, and a message. */
export class ServiceError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

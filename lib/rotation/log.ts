/** One JSON line per event. Shared by the rotation steps and the custom resource. */
export type Logger = (msg: string, fields?: Record<string, unknown>) => void;

const SECRET_KEY = /pass(word|code)?|secret_?string|authorization/i;

/** Writes `{"level","msg",...fields}` as one line; keys that could hold a password are dropped. */
export function jsonLogger(write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Logger {
  return (msg, fields = {}) => {
    const safe = Object.fromEntries(Object.entries(fields).filter(([k]) => !SECRET_KEY.test(k)));
    write(JSON.stringify({ level: 'info', msg, ...safe }));
  };
}

/** A logger that discards everything (tests). */
export const silentLogger: Logger = () => undefined;

/** The message of anything thrown. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

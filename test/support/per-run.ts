import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

/**
 * A JSON value computed once per `jest` run and shared by every test file and worker through the
 * run's temporary folder (test/support/global-setup.js): jest loads modules anew per file, so a
 * module-level cache would only last one file. The folder goes at the end of the run, so a value
 * never outlives the sources it was computed from. Only for values that depend on nothing but the
 * key and the repository's files (e.g. a fixture's templates); outside jest it just computes.
 */
export function perRun<T>(key: string, make: () => T): T {
  const dir = process.env.MQ_PLATFORM_TEST_TMPDIR;
  if (!dir) return make();
  const file = path.join(dir, 'per-run', `${createHash('sha256').update(key).digest('hex').slice(0, 32)}.json`);
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    // not computed yet in this run
  }
  const value = make();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Written under a temporary name and renamed: two workers may compute it at once.
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(value));
  fs.renameSync(tmp, file);
  return value;
}

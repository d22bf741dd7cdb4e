import { missingPackages } from './brokers';

/** Fails the whole run at once, with the install line, when a broker package is missing. */
export default async function globalSetup(): Promise<void> {
  const missing = missingPackages();
  if (missing) {
    process.stderr.write(`\n${missing}\n\n`);
    throw new Error(missing);
  }
}

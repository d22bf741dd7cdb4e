import { CONFIGURATION_REVISION_SOURCES, REVISION_APPLIES_AT } from '../amazonmq/configuration-revisions';
import type { Engine } from '../amazonmq/engines';

/**
 * How the review shows a broker configuration change: the decoded text of its data, line by line,
 * and that a new revision waits for the broker's next reboot or maintenance window.
 */

/** The text inside `{"Fn::Base64": "..."}`, the form the configuration data takes in our templates. */
function decoded(v: unknown): string | undefined {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const text = (v as Record<string, unknown>)['Fn::Base64'];
  return typeof text === 'string' ? text : undefined;
}

/** Lines removed and added between two texts (a set difference, in each text's order), `-`/`+` prefixed. */
export function lineChanges(before: string, after: string): string[] {
  const a = before
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const b = after
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return [...a.filter((l) => !b.includes(l)).map((l) => `- ${l}`), ...b.filter((l) => !a.includes(l)).map((l) => `+ ${l}`)];
}

/** The detail lines of a change of an AWS::AmazonMQ::Configuration's Data; undefined for anything else. */
export function configurationDataChange(type: string, property: string, before: unknown, after: unknown): string[] | undefined {
  if (type !== 'AWS::AmazonMQ::Configuration' || property !== 'Data') return undefined;
  const a = decoded(before);
  const b = decoded(after);
  if (a === undefined || b === undefined) return undefined;
  const lines = lineChanges(a, b);
  return lines.length > 0 ? lines : ['whitespace or order changed'];
}

/** What a reviewer is told about a change of a configuration's data, or of a broker's association. */
export function configurationNote(type: string, property: string, engine: unknown): string | undefined {
  const source =
    engine === 'ACTIVEMQ' || engine === 'RABBITMQ'
      ? CONFIGURATION_REVISION_SOURCES[engine as Engine]
      : CONFIGURATION_REVISION_SOURCES.ACTIVEMQ;
  if (type === 'AWS::AmazonMQ::Configuration' && property === 'Data') {
    return `new revision, which the broker is associated with on deploy; NEEDS A REBOOT: ${REVISION_APPLIES_AT} (${source})`;
  }
  if (type === 'AWS::AmazonMQ::Broker' && property === 'Configuration') {
    return `NEEDS A REBOOT: ${REVISION_APPLIES_AT} (${source})`;
  }
  return undefined;
}

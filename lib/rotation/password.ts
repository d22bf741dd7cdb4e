import { randomInt } from 'node:crypto';
import { PASSWORD_EXCLUDED_CHARACTERS, PASSWORD_LENGTH } from '../amazonmq/catalog';

const EXCLUDED = new Set(PASSWORD_EXCLUDED_CHARACTERS);
const CLASSES = ['abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', '0123456789', '!*()-_[]{};<>.^|~'].map((c) =>
  [...c].filter((ch) => !EXCLUDED.has(ch)).join(''),
);
const ALL = CLASSES.join('');

/**
 * A password Amazon MQ accepts (12 to 250 printable ASCII, at least 4 unique, none of `,:=`), with the
 * same length and exclusions as the secrets' first passwords, and every character class in it.
 * Generated in the function with node's CSPRNG, so the role needs no `secretsmanager:GetRandomPassword` on `*`.
 */
export function generatePassword(length = PASSWORD_LENGTH): string {
  const chars = CLASSES.map((c) => c[randomInt(c.length)]);
  while (chars.length < length) chars.push(ALL[randomInt(ALL.length)]);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join('');
}

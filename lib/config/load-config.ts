import * as fs from 'fs';
import * as path from 'path';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { ResolvedConfig } from './resolve';
import { ConfigValidationError, validateConfig } from './validate';

/** Where a stage's config lives: config/<stage>.json. */
export const CONFIG_DIR = path.join(__dirname, '..', '..', 'config');

/** The environments in a config folder: every JSON file but schema.json, sorted. */
export function stageNamesIn(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.json') && f !== 'schema.json')
      .map((f) => f.replace(/\.json$/, ''))
      .sort();
  } catch {
    return [];
  }
}

export function configPathForStage(stage: string, dir = CONFIG_DIR): string {
  const stages = stageNamesIn(dir);
  const known = `allowed: ${stages.length ? stages.join(', ') : '(none)'} (config/<stage>.json), or -c config=<path>`;
  if (!/^[a-z][a-z0-9-]*$/.test(stage)) {
    const hint =
      stage.endsWith('.json') && /^[a-z][a-z0-9-]*$/.test(stage.slice(0, -5)) ? ` (without ".json": -c stage=${stage.slice(0, -5)})` : '';
    throw new Error(`-c stage=${stage}: is not a stage name${hint}; ${known}`);
  }
  const file = path.join(dir, `${stage}.json`);
  if (!fs.existsSync(file)) throw new Error(`-c stage=${stage}: there is no config/${stage}.json; ${known}`);
  return file;
}

/**
 * Parses a config file's text: JSON with comments (JSONC, as the docs and schema-aware editors
 * write it), no trailing commas. Throws one message per syntax error with line and column.
 */
export function parseConfigText(text: string, file: string): unknown {
  const errors: ParseError[] = [];
  const raw = parseJsonc(text, errors, { disallowComments: false, allowTrailingComma: false, allowEmptyContent: false });
  if (errors.length > 0) {
    const where = (offset: number) => {
      const before = text.slice(0, offset).split('\n');
      return `${before.length}:${before[before.length - 1].length + 1}`;
    };
    // Only the first: after it the parser is out of step, and what follows is a cascade of its own.
    const e = errors[0];
    throw new Error(`${file}: is not valid JSON (comments are allowed):\n  - ${file}:${where(e.offset)}: ${describeSyntaxError(e, text)}`);
  }
  return raw;
}

function describeSyntaxError(e: ParseError, text: string): string {
  const found = e.length > 0 ? ` near ${JSON.stringify(text.slice(e.offset, e.offset + Math.min(e.length, 20)))}` : '';
  const what: Record<string, string> = {
    PropertyNameExpected: 'a quoted property name is expected (no trailing comma before "}")',
    ValueExpected: 'a value is expected (no trailing comma before "]" or "}")',
    CommaExpected: 'a comma is expected between entries',
    ColonExpected: 'a colon is expected after the property name',
    CloseBraceExpected: 'a closing "}" is expected',
    CloseBracketExpected: 'a closing "]" is expected',
    EndOfFileExpected: 'the file should end here',
    InvalidSymbol: 'this is not JSON (strings take double quotes)',
    UnexpectedEndOfString: 'a string is not closed',
    UnexpectedEndOfComment: 'a comment is not closed',
  };
  const code = printParseErrorCode(e.error);
  return `${what[code] ?? code}${found}`;
}

/** Reads, parses and validates a config file; throws one error that lists every problem. */
export function loadConfigFile(file: string): ResolvedConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new Error(`${file}: cannot read the config file; pass -c stage=<name> for config/<name>.json or -c config=<path>`);
  }
  return parseConfig(parseConfigText(text, file), file);
}

export function parseConfig(raw: unknown, source = 'config'): ResolvedConfig {
  const { plan, problems } = validateConfig(raw);
  if (!plan) throw new ConfigValidationError(source, problems);
  return plan;
}

/**
 * `npm start -- --parameter-overrides …`: template parameters given the way `sam deploy` takes
 * them (SAM CLI's CfnParameterOverridesType): `Key=Value` pairs separated by spaces, in one
 * argument or several, or `ParameterKey=Key,ParameterValue=Value`; a value may be quoted with
 * "…" or '…' (to hold spaces) and a backslash escapes the next character. A later pair wins.
 */

const OPTION = '--parameter-overrides';
const USAGE = `npm start -- ${OPTION} Key=Value [Key=Value …]`;

export class UsageError extends Error {}

/** The parameter overrides among npm start's arguments; anything else is a usage error. */
export function parseStartArguments(args: string[]): Record<string, string> {
  const overrides: Record<string, string> = {};
  let index = 0;
  while (index < args.length) {
    const arg = args[index] as string;
    const inline = arg.startsWith(`${OPTION}=`) ? arg.slice(OPTION.length + 1) : undefined;
    if (arg !== OPTION && inline === undefined) {
      throw new UsageError(`Unknown argument ${JSON.stringify(arg)}. Usage: ${USAGE}`);
    }
    index += 1;
    const values = inline === undefined ? [] : [inline];
    while (index < args.length && !(args[index] as string).startsWith('--')) {
      values.push(args[index] as string);
      index += 1;
    }
    if (values.every((value) => value.trim() === '')) {
      throw new UsageError(`${OPTION} needs at least one Key=Value. Usage: ${USAGE}`);
    }
    for (const value of values) Object.assign(overrides, parseOverrides(value));
  }
  return overrides;
}

/** The pairs of one argument, in order. */
export function parseOverrides(text: string): Record<string, string> {
  const pairs: Record<string, string> = {};
  let position = 0;
  const fail = (): never => {
    throw new UsageError(
      `${JSON.stringify(text)} is not a valid format: write Key=Value or ParameterKey=Key,ParameterValue=Value, separated by spaces (quote a value that has spaces)`,
    );
  };
  while (position < text.length) {
    if (text[position] === ' ') {
      position += 1;
      continue;
    }
    const head =
      /^ParameterKey=([A-Za-z0-9]+),ParameterValue=/.exec(text.slice(position)) ??
      /^([A-Za-z0-9]+)=/.exec(text.slice(position)) ??
      fail();
    position += head[0].length;
    const [value, next] = readValue(text, position) ?? fail();
    pairs[head[1] as string] = value;
    position = next;
  }
  return pairs;
}

/** A value starting at `start` and where reading goes on, or undefined if there is none. */
function readValue(text: string, start: number): [string, number] | undefined {
  const quote = text[start] === '"' || text[start] === "'" ? text[start] : undefined;
  let value = '';
  let position = quote ? start + 1 : start;
  while (position < text.length) {
    const char = text[position] as string;
    if (char === '\\' && position + 1 < text.length) {
      value += text[position + 1];
      position += 2;
    } else if (quote ? char === quote : char === ' ') {
      break;
    } else {
      value += char;
      position += 1;
    }
  }
  if (quote) {
    // An unclosed quote, or text glued to the closing one, is not a value.
    if (text[position] !== quote) return undefined;
    position += 1;
    if (position < text.length && text[position] !== ' ') return undefined;
    return [value, position];
  }
  return value === '' ? undefined : [value, position];
}

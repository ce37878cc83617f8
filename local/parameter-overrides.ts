/**
 * `npm start -- --parameter-overrides … --auth-parameter-overrides …`: template parameters given
 * the way `sam deploy` takes them (SAM CLI's CfnParameterOverridesType): `Key=Value` pairs
 * separated by spaces, in one argument or several, or `ParameterKey=Key,ParameterValue=Value`; a
 * value may be quoted with "…" or '…' (to hold spaces) and a backslash escapes the next
 * character. A later pair wins. The two stacks deploy separately (`sam deploy --config-env
 * auth-dev`, then `dev`), each with its own overrides, so there is one option per template:
 * `--parameter-overrides` for template.yaml, `--auth-parameter-overrides` for auth-stack.yaml.
 */

const OPTIONS = {
  '--parameter-overrides': 'api',
  '--auth-parameter-overrides': 'auth',
} as const;
type Option = keyof typeof OPTIONS;
const USAGE =
  'npm start -- [--parameter-overrides Key=Value …] [--auth-parameter-overrides Key=Value …]';

export class UsageError extends Error {}

/** Overrides of template.yaml's parameters (`api`) and of auth-stack.yaml's (`auth`). */
export interface StartArguments {
  api: Record<string, string>;
  auth: Record<string, string>;
}

/** The parameter overrides among npm start's arguments; anything else is a usage error. */
export function parseStartArguments(args: string[]): StartArguments {
  const parsed: StartArguments = { api: {}, auth: {} };
  let index = 0;
  while (index < args.length) {
    const arg = args[index] as string;
    const [name, inline] = splitOption(arg);
    if (!name) throw new UsageError(`Unknown argument ${JSON.stringify(arg)}. Usage: ${USAGE}`);
    index += 1;
    const values = inline === undefined ? [] : [inline];
    while (index < args.length && !(args[index] as string).startsWith('--')) {
      values.push(args[index] as string);
      index += 1;
    }
    if (values.every((value) => value.trim() === '')) {
      throw new UsageError(`${name} needs at least one Key=Value. Usage: ${USAGE}`);
    }
    for (const value of values) Object.assign(parsed[OPTIONS[name]], parseOverrides(value));
  }
  return parsed;
}

/** `--option` or `--option=value`: which option, and the inline value if any. */
function splitOption(arg: string): [Option | undefined, string | undefined] {
  for (const option of Object.keys(OPTIONS) as Option[]) {
    if (arg === option) return [option, undefined];
    if (arg.startsWith(`${option}=`)) return [option, arg.slice(option.length + 1)];
  }
  return [undefined, undefined];
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

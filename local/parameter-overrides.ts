/**
 * Template parameters written as `sam deploy --parameter-overrides` takes them:
 * `Key=Value Key=Value`. A pair without `=` or with an empty key is an error, not ignored.
 */
export function parameterOverrides(text: string): Record<string, string> {
  const overrides: Record<string, string> = {};
  for (const pair of text.split(/\s+/).filter(Boolean)) {
    const equals = pair.indexOf('=');
    if (equals < 1) throw new Error(`"${pair}" is not Key=Value`);
    overrides[pair.slice(0, equals)] = pair.slice(equals + 1);
  }
  return overrides;
}

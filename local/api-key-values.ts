import { randomInt } from 'node:crypto';
import * as v from 'valibot';
import { readJsonFile, writeJsonFile } from './json-file';
import type { LocalApiKey } from './plan';

/** API Gateway takes key values of 20 to 128 characters; the ones it generates have 40. */
const StoredValues = v.record(v.string(), v.pipe(v.string(), v.minLength(20), v.maxLength(128)));
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * The value of each API key of the plan: the template's own Value if it sets one, else a random
 * one made the first time and kept in `file` (in the data directory), so that a client keeps
 * working across restarts and a new data directory gets a new key.
 */
export function apiKeyValues(file: string, keys: LocalApiKey[]): Record<string, string> {
  if (keys.length === 0) return {};
  const parsed = v.safeParse(StoredValues, readJsonFile<unknown>(file, {}));
  if (!parsed.success) {
    throw new Error(`${file} is not a map of API key values. Delete it to start afresh.`);
  }
  const stored = parsed.output;
  const values: Record<string, string> = {};
  let generated = false;
  for (const key of keys) {
    const existing = key.value ?? stored[key.logicalId];
    if (existing !== undefined) {
      values[key.logicalId] = existing;
    } else {
      values[key.logicalId] = Array.from({ length: 40 }, () => ALPHABET[randomInt(62)]).join('');
      generated = true;
    }
  }
  if (generated) writeJsonFile(file, { ...stored, ...values });
  return values;
}

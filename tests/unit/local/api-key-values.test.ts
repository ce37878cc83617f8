import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { apiKeyValues } from '../../../local/api-key-values';

const key = { logicalId: 'ApiKey', id: 'abcdef1234', enabled: true };
const fileIn = () => path.join(mkdtempSync(path.join(tmpdir(), 'api-keys-')), 'api-keys.json');

describe('apiKeyValues', () => {
  it('makes a 40-character value the first time and keeps it in the file', () => {
    const file = fileIn();
    const values = apiKeyValues(file, [key]);
    expect(values.ApiKey).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(values);
    expect(apiKeyValues(file, [key])).toEqual(values);
  });

  it('makes a different value for another data directory', () => {
    expect(apiKeyValues(fileIn(), [key]).ApiKey).not.toBe(apiKeyValues(fileIn(), [key]).ApiKey);
  });

  it("takes the template's own value, and writes nothing for it", () => {
    const file = fileIn();
    const value = 'a-value-the-template-sets-0001';
    expect(apiKeyValues(file, [{ ...key, value }])).toEqual({ ApiKey: value });
    expect(existsSync(file)).toBe(false);
  });

  it('writes no file when the stack has no key', () => {
    const file = fileIn();
    expect(apiKeyValues(file, [])).toEqual({});
    expect(existsSync(file)).toBe(false);
  });

  it('refuses a file that is not a map of key values, naming it', () => {
    const file = fileIn();
    writeFileSync(file, JSON.stringify({ ApiKey: 'short' }));
    expect(() => apiKeyValues(file, [key])).toThrow(`${file} is not a map of API key values`);
    writeFileSync(file, '{not json');
    expect(() => apiKeyValues(file, [key])).toThrow('Delete it to start afresh');
  });
});

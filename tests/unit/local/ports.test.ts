import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_PORTS, portFromEnv } from '../../../local/ports';
import { PROJECT_ROOT } from '../../../sam/template';

describe("npm start's default ports", () => {
  it("are the ones README.md's table of the local stack gives, each with its variable", () => {
    const readme = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
    const rows = [...readme.matchAll(/^\|[^\n]*\| (\d+) +\| `(\w+_PORT)` +\|$/gm)];
    expect(Object.fromEntries(rows.map(([, port, variable]) => [variable, Number(port)]))).toEqual(
      DEFAULT_PORTS,
    );
  });
});

describe('portFromEnv', () => {
  it('reads a port, 0 included, and takes the default when the variable is unset or empty', () => {
    expect(portFromEnv('API_PORT', 3000, { API_PORT: '8080' })).toBe(8080);
    expect(portFromEnv('API_PORT', 3000, { API_PORT: '0' })).toBe(0);
    expect(portFromEnv('API_PORT', 3000, {})).toBe(3000);
    expect(portFromEnv('API_PORT', 3000, { API_PORT: '' })).toBe(3000);
  });

  it.each(['-1', '65536', '80.5', 'http'])('refuses %j, naming the variable', (raw) => {
    expect(() => portFromEnv('S3_PORT', 4569, { S3_PORT: raw })).toThrow(
      `S3_PORT=${raw} is not a port number (0-65535; 0 picks a free one)`,
    );
  });
});

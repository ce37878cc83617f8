import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { API_TEMPLATE, loadTemplate, PROJECT_ROOT, samFunctions } from '../../sam/template';

const functions = samFunctions(loadTemplate(API_TEMPLATE));
const routes = functions.flatMap((fn) => fn.routes.map((route) => ({ ...route, fn })));
const routeKey = (method: string, routePath: string) => `${method} ${routePath}`;

type Access = 'public' | 'protected';

/**
 * The routes of README.md's tables under "The API", each public or protected as the line
 * that introduces its table says ("Public:", "Protected …").
 */
function readmeRoutes(readme: string): [string, string, Access][] {
  const section = readme.slice(
    readme.indexOf('\n## The API\n'),
    readme.indexOf('\n## Deploying\n'),
  );
  const found: [string, string, Access][] = [];
  let access: Access | undefined;
  for (const line of section.split('\n')) {
    if (/^Public\b/.test(line)) access = 'public';
    if (/^Protected\b/.test(line)) access = 'protected';
    const row = /^\| `(GET|POST|PUT|PATCH|DELETE) (\/\S*)`/.exec(line);
    if (row && !access) throw new Error(`README.md: no "Public:" or "Protected" above ${line}`);
    if (row && access) found.push([String(row[1]), String(row[2]), access]);
  }
  return found;
}

const README_ROUTES = readmeRoutes(readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8'));

describe("README.md's route tables", () => {
  it('list public and protected routes (the comparison below is not vacuous)', () => {
    const accessOf = (method: string, routePath: string) =>
      README_ROUTES.find(([m, p]) => m === method && p === routePath)?.[2];
    expect(accessOf('POST', '/auth/signin')).toBe('public');
    expect(accessOf('GET', '/me')).toBe('protected');
    expect(accessOf('DELETE', '/me/logs/{id}')).toBe('protected');
  });
});

describe('routes in template.yaml', () => {
  it.each(README_ROUTES)('%s %s is %s, as README.md says', (method, routePath, access) => {
    const found = routes.filter(
      (route) => routeKey(route.method, route.path) === routeKey(method, routePath),
    );
    expect(found).toHaveLength(1);
    expect(found[0]?.authorizer).toBe(access === 'public' ? 'NONE' : 'CognitoAuthorizer');
  });

  it("declares no route README.md's tables leave out (besides CORS preflights)", () => {
    const listed = new Set(README_ROUTES.map(([method, routePath]) => routeKey(method, routePath)));
    const extra = routes
      .filter((route) => route.method !== 'OPTIONS')
      .map((route) => routeKey(route.method, route.path))
      .filter((key) => !listed.has(key));
    expect(extra).toEqual([]);
  });

  it('answers the CORS preflight on every path, publicly, with the one preflight function', () => {
    const paths = [
      ...new Set(routes.filter((route) => route.method !== 'OPTIONS').map((route) => route.path)),
    ].sort();
    const preflights = routes.filter((route) => route.method === 'OPTIONS');
    expect(preflights.map((route) => route.path).sort()).toEqual(paths);
    for (const route of preflights) {
      expect(route.fn.logicalId).toBe('CorsPreflightFunction');
      expect(route.authorizer).toBe('NONE');
    }
  });

  it('declares every method and path once', () => {
    const keys = routes.map((route) => routeKey(route.method, route.path));
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('handlers and functions', () => {
  const handlerFiles = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const full = path.join(dir, entry.name);
      return entry.isDirectory() ? handlerFiles(full) : entry.name.endsWith('.ts') ? [full] : [];
    });
  const files = handlerFiles(path.join(PROJECT_ROOT, 'src/handlers')).map((file) =>
    path.relative(PROJECT_ROOT, file),
  );
  const entryPoints = functions.flatMap((fn) => fn.buildProperties.EntryPoints as string[]);

  it('wire every handler file to exactly one function, and every function to a handler file', () => {
    expect([...entryPoints].sort()).toEqual([...files].sort());
  });

  it.each(functions)('$logicalId: Handler names its bundle and export', (fn) => {
    const [entry] = fn.buildProperties.EntryPoints as string[];
    const base = path.basename(String(entry), '.ts');
    expect(fn.handler).toBe(`${base}.handler`);
    expect(readFileSync(path.join(PROJECT_ROOT, String(entry)), 'utf8')).toMatch(
      /^export const handler = /m,
    );
  });

  it('build every function with the same esbuild settings (only the entry point differs)', () => {
    const settings = functions.map(({ buildProperties: { EntryPoints: _entry, ...rest } }) =>
      JSON.stringify(rest),
    );
    expect(new Set(settings).size).toBe(1);
    expect(functions[0]?.buildProperties).toMatchObject({
      Format: 'esm',
      Minify: true,
      Sourcemap: false,
      MainFields: 'module,main',
      OutExtension: ['.js=.mjs'],
    });
    expect(functions[0]?.buildProperties).not.toHaveProperty('Banner');
  });
});

describe('events/', () => {
  /** events/<handler file>.json or <handler file>-<variant>.json, of the longest handler file. */
  const bases = functions.map((fn) => fn.handler.split('.')[0] ?? '');
  const ownerOf = (file: string) =>
    bases
      .filter((base) => file === `${base}.json` || file.startsWith(`${base}-`))
      .sort((a, b) => b.length - a.length)[0];

  it.each(functions)('$logicalId has an event for each of its routes', (fn) => {
    const base = fn.handler.split('.')[0];
    const eventFiles = readdirSync(path.join(PROJECT_ROOT, 'events')).filter(
      (file) => ownerOf(file) === base,
    );
    expect(eventFiles.length).toBeGreaterThan(0);
    for (const file of eventFiles) {
      const event = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'events', file), 'utf8'));
      const route = fn.routes.find(
        (r) => r.path === event.resource && r.method === event.httpMethod,
      );
      expect(route).toBeDefined();
      const claims = event.requestContext?.authorizer?.claims;
      if (route?.authorizer === 'NONE') expect(claims).toBeUndefined();
      else expect(claims).toMatchObject({ sub: expect.any(String), token_use: 'id' });
    }
  });

  it('has an env file for sam local invoke --env-vars', () => {
    expect(existsSync(path.join(PROJECT_ROOT, 'events/env.json'))).toBe(true);
  });
});

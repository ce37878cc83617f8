import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LOCAL_CLIENT_ID } from '../../local/plan';
import { DEFAULT_PORTS } from '../../local/ports';
import {
  checkCollection,
  generateCollection,
  type PostmanCollection,
  type PostmanItem,
  VARIATIONS_FOLDER,
} from '../../portman/contract-suite';
import { loadOpenApi, openApiOperations } from '../../portman/openapi-operations';

/**
 * Portman drops tests silently (a misspelt operationId, a schema it cannot compile, a config key
 * it does not know), so the runner checks the generated collection before running it. Here:
 * the real collection passes that check, and each way of breaking it is caught.
 */

const operations = openApiOperations(loadOpenApi());
const scratch = mkdtempSync(path.join(tmpdir(), 'collection-test-'));
let generated: PostmanCollection;

beforeAll(async () => {
  generated = await generateCollection(path.join(scratch, 'collection.json'));
}, 60_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const flatten = (items: PostmanItem[]): PostmanItem[] =>
  items.flatMap((item) => (item.item ? flatten(item.item) : [item]));

function itemNamed(collection: PostmanCollection, name: string): PostmanItem {
  const found = flatten(collection.item).find((item) => item.name === name);
  if (!found) throw new Error(`no request "${name}" in the collection`);
  return found;
}

function removeItem(items: PostmanItem[], name: string): void {
  const index = items.findIndex((item) => item.name === name);
  if (index >= 0) items.splice(index, 1);
  for (const item of items) if (item.item) removeItem(item.item, name);
}

describe('the collection generated from openapi.yaml and portman/portman-config.json', () => {
  it('holds everything the config asks for', () => {
    expect(checkCollection(generated, operations)).toEqual([]);
  });

  it('has a request per operation and variations for the error answers', () => {
    const main = flatten(generated.item.filter((folder) => folder.name !== VARIATIONS_FOLDER));
    const variations = flatten(
      generated.item.filter((folder) => folder.name === VARIATIONS_FOLDER),
    );
    expect(main).toHaveLength(operations.length);
    const protectedCount = operations.filter((op) => op.schemes.length > 0).length;
    expect(variations.length).toBeGreaterThan(3 * protectedCount);
  });

  it('keeps only endpoint defaults in its variables: no user, password, token or key', () => {
    expect((generated.variable ?? []).map((variable) => variable.key).sort()).toEqual([
      'apiKey',
      'baseUrl',
      'cognitoEndpoint',
      'userPoolClientId',
    ]);
    expect(generated.variable?.find((variable) => variable.key === 'apiKey')?.value).toBe('');
    // Every request takes credentials from variables, never from literal values.
    const signIn = itemNamed(generated, 'Sign in with email and password') as PostmanItem & {
      request: { body?: { raw?: string } };
    };
    expect(JSON.parse(signIn.request.body?.raw ?? '{}')).toEqual({
      email: '{{username}}',
      password: '{{password}}',
    });
  });

  it('defaults those to npm start on its default ports and the local client, with no API key, as README says', () => {
    const values = Object.fromEntries(
      (generated.variable ?? []).map((variable) => [variable.key, variable.value]),
    );
    expect(values).toEqual({
      baseUrl: `http://localhost:${DEFAULT_PORTS.API_PORT}`,
      cognitoEndpoint: `http://localhost:${DEFAULT_PORTS.COGNITO_PORT}`,
      userPoolClientId: LOCAL_CLIENT_ID,
      apiKey: '',
    });
  });
});

describe('the check of the collection catches', () => {
  const broken = (change: (collection: PostmanCollection) => void) => {
    const collection = structuredClone(generated);
    change(collection);
    return checkCollection(collection, operations).join('\n');
  };

  it('collection-level auth, which public routes would inherit', () => {
    expect(
      broken((c) => {
        c.auth = { type: 'bearer', bearer: [{ key: 'token', value: '{{idToken}}' }] };
      }),
    ).toMatch(/the collection has bearer auth/);
  });

  it('a protected route that does not send the ID token', () => {
    expect(
      broken((c) => {
        const me = itemNamed(c, 'The caller');
        if (me.request) me.request.auth = { type: 'noauth' };
      }),
    ).toMatch(/GET \/me: is protected but does not send \{\{idToken\}\}/);
  });

  it('a public route that sends a token', () => {
    expect(
      broken((c) => {
        const route = itemNamed(c, 'A public route');
        if (route.request) route.request.auth = { type: 'bearer', bearer: [] };
      }),
    ).toMatch(/GET \/public: is public but sends bearer auth/);
  });

  it('a missing token variation', () => {
    expect(broken((c) => removeItem(c.item, 'The caller[without a token]'))).toMatch(
      /GET \/me: no variation "without a token"/,
    );
  });

  it('an operation without its request', () => {
    expect(broken((c) => removeItem(c.item, 'A public route'))).toMatch(
      /GET \/public: 0 requests instead of 1/,
    );
  });

  it('a schema validation Portman disabled', () => {
    expect(
      broken((c) => {
        itemNamed(c, 'The caller').event = [
          {
            listen: 'test',
            script: {
              exec: [
                'pm.test("[GET]::/me - Response status code is 200", () => {});',
                "console.log('[GET]::/me response is not being validated against your spec!');",
              ],
            },
          },
        ];
      }),
    ).toMatch(/"The caller": no schema \(or empty body\) test[\s\S]*Portman disabled/);
  });

  it('a sign-out that does not check the ended session is refused', () => {
    expect(
      broken((c) => {
        const signOut = itemNamed(c, 'End this session');
        signOut.event = (signOut.event ?? []).map((event) =>
          event.listen === 'test'
            ? {
                ...event,
                script: {
                  exec: [String(event.script?.exec).replaceAll('session has ended', 'ended')],
                },
              }
            : event,
        );
      }),
    ).toMatch(/POST \/auth\/signout: does not check that the ended session is refused/);
  });

  it('a collection that cannot sign in by itself', () => {
    expect(
      broken((c) => {
        c.event = [];
      }),
    ).toMatch(/no pre-request script that signs in to Cognito/);
  });

  it('a collection that would not send the API key, or that holds one', () => {
    expect(
      broken((c) => {
        for (const event of c.event ?? []) {
          const lines = [event.script?.exec ?? []].flat();
          if (event.script) event.script.exec = lines.filter((line) => !line.includes('x-api-key'));
        }
      }),
    ).toMatch(/no pre-request script that sends the API key/);
    expect(
      broken((c) => {
        c.variable = (c.variable ?? []).map((variable) =>
          variable.key === 'apiKey' ? { ...variable, value: 'a-key-in-the-file-0000' } : variable,
        );
      }),
    ).toMatch(/no apiKey variable, empty by default/);
  });
});

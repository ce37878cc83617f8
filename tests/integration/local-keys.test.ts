import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../sam/template';
import { newUser, type SignedInUser } from './api-client';
import { sharedStack } from './harness';
import { mint, payloadOf } from './tokens';

const run = promisify(execFile);

/** The README's aws-jwt-verify snippet ("Local tokens and their keys"), exactly as printed. */
function readmeSnippet(): string {
  const readme = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
  const snippet = blocks.find((block) => block.includes('cacheJwks'));
  if (!snippet) throw new Error('README.md has no aws-jwt-verify snippet');
  return snippet;
}

/**
 * Runs the snippet as a user would paste it into an ES module of theirs, with `idToken` given
 * and the README's default endpoint replaced by this stack's (on a free port here).
 */
async function verifyAsTheReadmeShows(idToken: string): Promise<Record<string, unknown>> {
  const { CognitoEndpoint } = sharedStack().outputs;
  const module = [
    'const idToken = process.env.ID_TOKEN;',
    readmeSnippet().replaceAll('http://localhost:9229', CognitoEndpoint),
    'console.log(JSON.stringify(claims));',
  ].join('\n');
  const { stdout } = await run(process.execPath, ['--input-type=module', '--eval', module], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ID_TOKEN: idToken },
  });
  return JSON.parse(stdout) as Record<string, unknown>;
}

describe("the README's way to verify a local token with aws-jwt-verify", () => {
  let user: SignedInUser;
  beforeAll(async () => {
    user = await newUser('readme-keys');
  });

  it('names the endpoint the local stack really serves its keys at', () => {
    const { UserPoolId, UserPoolClientId } = sharedStack().outputs;
    const snippet = readmeSnippet();
    expect(snippet).toContain(`'http://localhost:9229/${UserPoolId}/.well-known/jwks.json'`);
    expect(snippet).toContain(`userPoolId: '${UserPoolId}'`);
    expect(snippet).toContain(`clientId: '${UserPoolClientId}'`);
  });

  it('verifies an ID token of the local stack', async () => {
    expect(await verifyAsTheReadmeShows(user.idToken)).toMatchObject({
      sub: user.sub,
      token_use: 'id',
      email: user.email,
    });
  });

  it('refuses a token signed with any other key', async () => {
    const forged = mint(payloadOf(user.idToken), 'stranger');
    await expect(verifyAsTheReadmeShows(forged)).rejects.toThrow(/JwtInvalidSignature|signature/i);
  });
});

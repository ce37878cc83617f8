import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { readJsonFile } from './json-file';
import { defaultDataDir, type LocalOutputs, type LocalStack, startLocalStack } from './stack';

/**
 * `npm run demo`: walks the whole auth journey against the running local stack (or starts one):
 * sign up, code from the mailbox, confirm, sign in, /me, refresh, change password, sign out,
 * refresh refused. Prints each step; exits non-zero at the first deviation.
 */

class Deviation extends Error {}

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

async function call(
  apiUrl: string,
  method: string,
  route: string,
  body?: unknown,
  token?: string,
): Promise<Answer> {
  const response = await fetch(`${apiUrl}${route}`, {
    method,
    headers: {
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
  };
}

export async function runDemo(apiUrl: string, print: (line: string) => void): Promise<void> {
  const email = `demo+${randomBytes(4).toString('hex')}@example.com`;
  const password = `demo-passphrase-${randomBytes(4).toString('hex')}`;
  const newPassword = `${password}-changed`;
  let step = 0;
  const expect = (
    what: string,
    answer: Answer,
    status: number,
    check: (body: Answer['body']) => boolean = () => true,
  ) => {
    step += 1;
    if (answer.status !== status || !check(answer.body)) {
      throw new Deviation(
        `${step}. ${what}: expected ${status}, got ${answer.status} ${JSON.stringify(answer.body)}`,
      );
    }
    print(`✓ ${String(step).padStart(2)}. ${what} → ${answer.status}`);
    return answer.body;
  };

  print(`Demo user ${email} against ${apiUrl}`);
  expect(
    'sign up',
    await call(apiUrl, 'POST', '/auth/signup', { email, password }),
    201,
    (b) => b.confirmed === false,
  );
  const mailbox = expect(
    'read the code from the local mailbox',
    await call(apiUrl, 'GET', `/_local/mailbox/${encodeURIComponent(email)}`),
    200,
  );
  const code = (mailbox.messages as { kind: string; code: string }[]).find(
    (message) => message.kind === 'signup',
  )?.code;
  expect(
    'confirm the email with the code',
    await call(apiUrl, 'POST', '/auth/confirm-signup', { email, code }),
    200,
  );
  const tokens = expect(
    'sign in',
    await call(apiUrl, 'POST', '/auth/signin', { email, password }),
    200,
    (b) => b.tokenType === 'Bearer',
  );
  const idToken = String(tokens.idToken);
  expect(
    'GET /me with the ID token',
    await call(apiUrl, 'GET', '/me', undefined, idToken),
    200,
    (b) => b.email === email && b.emailVerified === true,
  );
  const refreshed = expect(
    'refresh the tokens',
    await call(apiUrl, 'POST', '/auth/refresh', { refreshToken: tokens.refreshToken }),
    200,
    (b) => typeof b.idToken === 'string',
  );
  expect(
    'change the password',
    await call(
      apiUrl,
      'POST',
      '/auth/change-password',
      {
        accessToken: refreshed.accessToken,
        previousPassword: password,
        proposedPassword: newPassword,
      },
      String(refreshed.idToken),
    ),
    204,
  );
  expect(
    'sign in with the new password',
    await call(apiUrl, 'POST', '/auth/signin', { email, password: newPassword }),
    200,
  );
  expect(
    'sign out (revokes the refresh token)',
    await call(apiUrl, 'POST', '/auth/signout', { refreshToken: tokens.refreshToken }),
    204,
  );
  expect(
    'refresh with the revoked token is refused',
    await call(apiUrl, 'POST', '/auth/refresh', { refreshToken: tokens.refreshToken }),
    401,
  );
  print('Demo passed.');
}

async function main(): Promise<void> {
  const dataDir = process.env.LOCAL_DATA_DIR
    ? path.resolve(process.env.LOCAL_DATA_DIR)
    : defaultDataDir();
  const running = readJsonFile<Partial<LocalOutputs>>(path.join(dataDir, 'outputs.json'), {});
  let apiUrl = running.ApiUrl;
  let started: LocalStack | undefined;
  if (
    !apiUrl ||
    !(await fetch(`${apiUrl}/public`).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    console.log('No local stack is answering; starting one (npm start) for the demo…');
    started = await startLocalStack({
      dataDir,
      apiPort: 0,
      cognitoPort: 0,
      s3Port: 0,
      dynamoDbPort: 0,
      webPort: 0,
      build: true,
    });
    apiUrl = started.outputs.ApiUrl;
  }
  try {
    await runDemo(apiUrl, (line) => console.log(line));
  } finally {
    await started?.stop();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Deviation ? `✗ ${error.message}` : `✗ ${String(error)}`);
    process.exit(1);
  });
}

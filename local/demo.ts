import path from 'node:path';
import { type ApiAnswer, callApi, newPassword, uniqueEmail } from '../client/api';
import { readJsonFile } from './json-file';
import {
  defaultDataDir,
  type LocalOutputs,
  type LocalStack,
  outputsFile,
  startLocalStack,
} from './stack';

/**
 * `npm run demo`: walks the whole auth journey against the running local stack (or starts one):
 * sign up, code from the mailbox, confirm, sign in, /me, refresh, change password, sign out,
 * refresh refused, with the stack's API key if it was started with ApiKeyRequired=true. Prints
 * each step; exits non-zero at the first deviation.
 */

class Deviation extends Error {}

/** The running stack: its URL, and its API key when it was started with ApiKeyRequired=true. */
interface DemoTarget {
  apiUrl: string;
  apiKey?: string | undefined;
}

/** One step's call; a stack that takes longer than this to answer is stuck. */
const call = (target: DemoTarget, method: string, route: string, body?: unknown, token?: string) =>
  callApi(target.apiUrl, route, {
    method,
    body,
    token,
    timeoutMs: 15_000,
    ...(target.apiKey ? { headers: { 'x-api-key': target.apiKey } } : {}),
  });

export async function runDemo(target: DemoTarget, print: (line: string) => void): Promise<void> {
  const email = uniqueEmail('demo');
  const password = newPassword();
  const changedPassword = `${password}-changed`;
  let step = 0;
  const expect = (
    what: string,
    answer: ApiAnswer,
    status: number,
    check: (body: ApiAnswer['body']) => boolean = () => true,
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

  print(`Demo user ${email} against ${target.apiUrl}`);
  expect(
    'sign up',
    await call(target, 'POST', '/auth/signup', { email, password }),
    201,
    (b) => b.confirmed === false,
  );
  const mailbox = expect(
    'read the code from the local mailbox',
    await call(target, 'GET', `/_local/mailbox/${encodeURIComponent(email)}`),
    200,
  );
  const code = (mailbox.messages as { kind: string; code: string }[]).find(
    (message) => message.kind === 'signup',
  )?.code;
  expect(
    'confirm the email with the code',
    await call(target, 'POST', '/auth/confirm-signup', { email, code }),
    200,
  );
  const tokens = expect(
    'sign in',
    await call(target, 'POST', '/auth/signin', { email, password }),
    200,
    (b) => b.tokenType === 'Bearer',
  );
  const idToken = String(tokens.idToken);
  expect(
    'GET /me with the ID token',
    await call(target, 'GET', '/me', undefined, idToken),
    200,
    (b) => b.email === email && b.emailVerified === true,
  );
  const refreshed = expect(
    'refresh the tokens',
    await call(target, 'POST', '/auth/refresh', { refreshToken: tokens.refreshToken }),
    200,
    (b) => typeof b.idToken === 'string',
  );
  expect(
    'change the password',
    await call(
      target,
      'POST',
      '/auth/change-password',
      {
        accessToken: refreshed.accessToken,
        previousPassword: password,
        proposedPassword: changedPassword,
      },
      String(refreshed.idToken),
    ),
    204,
  );
  expect(
    'sign in with the new password',
    await call(target, 'POST', '/auth/signin', { email, password: changedPassword }),
    200,
  );
  expect(
    'sign out (revokes the refresh token)',
    await call(target, 'POST', '/auth/signout', { refreshToken: tokens.refreshToken }),
    204,
  );
  expect(
    'refresh with the revoked token is refused',
    await call(target, 'POST', '/auth/refresh', { refreshToken: tokens.refreshToken }),
    401,
  );
  print('Demo passed.');
}

async function main(): Promise<void> {
  const dataDir = process.env.LOCAL_DATA_DIR
    ? path.resolve(process.env.LOCAL_DATA_DIR)
    : defaultDataDir();
  const running = readJsonFile<Partial<LocalOutputs>>(outputsFile(dataDir), {});
  let target: DemoTarget | undefined = running.ApiUrl
    ? { apiUrl: running.ApiUrl, apiKey: running.ApiKeyValue }
    : undefined;
  let started: LocalStack | undefined;
  if (
    !target ||
    !(await call(target, 'GET', '/public').then(
      (answer) => answer.status === 200,
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
    target = { apiUrl: started.outputs.ApiUrl, apiKey: started.outputs.ApiKeyValue };
  }
  try {
    await runDemo(target, (line) => console.log(line));
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

import { cpSync, mkdtempSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bundle, handlerModule } from '../../sam/build';
import { API_TEMPLATE, loadTemplate, PROJECT_ROOT, samFunctions } from '../../sam/template';
import { api, newUser } from './api-client';
import { sharedStack, spawnStack, UNTHROTTLED } from './harness';
import { hostileCases, runCorpus } from './hostile/corpus';

describe('hostile input on every route', () => {
  it('never gets a 5xx, a stack trace or an echo; gets a 4xx JSON error wherever it must', async () => {
    const { ApiUrl, WebUrl } = sharedStack().outputs;
    const user = await newUser('hostile');
    const cases = hostileCases({ ...user, origin: WebUrl });
    expect(cases.length).toBeGreaterThan(600);
    const outcomes = await runCorpus(ApiUrl, cases, [
      user.password,
      user.idToken,
      user.accessToken,
      user.refreshToken,
    ]);
    expect(outcomes).toHaveLength(cases.length);
    const failures = outcomes
      .filter((outcome) => outcome.problems.length > 0)
      .map(({ hostile, problems }) => `${hostile.route} (${hostile.name}): ${problems.join('; ')}`);
    expect(failures).toEqual([]);
    // No forged or foreign token ended the user's session on the way (sign-out's cases).
    expect((await api('/me', { token: user.idToken })).status).toBe(200);
  }, 180_000);

  it('catches a handler that throws on a field', async () => {
    // A copy of the build where sign-up has a planted bug (hostile/broken-sign-up.ts).
    const buildDir = mkdtempSync(path.join(tmpdir(), 'broken-build-'));
    cpSync(String(process.env.LOCAL_BUILD_DIR), buildDir, { recursive: true });
    const fn = samFunctions(loadTemplate(API_TEMPLATE)).find(
      (candidate) => candidate.logicalId === 'SignUpFunction',
    );
    if (!fn) throw new Error('SignUpFunction is not in the template');
    const scratch = mkdtempSync(path.join(tmpdir(), 'broken-sign-up-'));
    const entry = path.relative(PROJECT_ROOT, path.join(__dirname, 'hostile/broken-sign-up.ts'));
    await bundle({ ...fn.buildProperties, EntryPoints: [entry] }, PROJECT_ROOT, scratch);
    renameSync(
      handlerModule(scratch, 'broken-sign-up.handler').file,
      handlerModule(path.join(buildDir, fn.logicalId), fn.handler).file,
    );

    const stack = await spawnStack({ LOCAL_BUILD_DIR: buildDir }, { args: UNTHROTTLED });
    try {
      const user = await newUser('broken', stack.outputs.ApiUrl);
      const cases = hostileCases(
        { ...user, origin: stack.outputs.WebUrl },
        (route) => route === 'POST /auth/signup',
      );
      const outcomes = await runCorpus(stack.outputs.ApiUrl, cases, [user.password]);
      const caught = outcomes.filter((outcome) =>
        outcome.problems.some((problem) => problem.startsWith('answered 5')),
      );
      expect(caught.map((outcome) => outcome.hostile.name)).toEqual(
        expect.arrayContaining(['malformed JSON', 'name as a number', 'name as an object']),
      );
    } finally {
      await stack.stop();
    }
  }, 120_000);
});

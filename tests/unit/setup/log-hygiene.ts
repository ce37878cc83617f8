import { SECRETS } from '../fixtures';

/**
 * Captures everything written to stdout/stderr while a test file runs (Powertools writes its
 * JSON lines there) and, after the file, fails it if any password, code or token of the
 * fixtures, or anything shaped like a signed JWT, appears in that output. JSON log lines are
 * kept out of the test report; everything else passes through.
 */
const captured: string[] = [];
(globalThis as { capturedOutput?: string[] }).capturedOutput = captured;
const JWT = /eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{20,}/;

for (const stream of [process.stdout, process.stderr]) {
  const original = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString();
    captured.push(text);
    if (text.startsWith('{"level"')) {
      const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    }
    return original(chunk, ...rest);
  }) as typeof stream.write;
}

afterAll(() => {
  const output = captured.join('');
  const leaks = SECRETS.filter((secret) => output.includes(secret)).map(
    (secret) => `${secret.slice(0, 4)}…`,
  );
  if (JWT.test(output)) leaks.push('a JWT');
  expect(leaks).toEqual([]);
});

import type { RunningStack } from './harness';

export default async function globalTeardown(): Promise<void> {
  const stack = (globalThis as { sharedLocalStack?: RunningStack }).sharedLocalStack;
  const code = await stack?.stop();
  if (code !== 0)
    throw new Error(
      `the shared local stack did not stop cleanly (exit ${code}):\n${stack?.output()}`,
    );
}

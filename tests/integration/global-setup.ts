import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildFunctions } from '../../sam/build';
import { type RunningStack, spawnStack, UNTHROTTLED } from './harness';

/**
 * Bundles the functions once (into a temporary build directory, so a running `npm start` is
 * left alone), then starts one local stack that the integration test files share, with the
 * throttles out of the way (UNTHROTTLED).
 */
export default async function globalSetup(): Promise<void> {
  const buildDir = mkdtempSync(path.join(tmpdir(), 'local-build-'));
  await buildFunctions(buildDir);
  process.env.LOCAL_BUILD_DIR = buildDir;
  const stack = await spawnStack({}, { args: UNTHROTTLED });
  (globalThis as { sharedLocalStack?: RunningStack }).sharedLocalStack = stack;
  process.env.SHARED_LOCAL_STACK = JSON.stringify({
    outputs: stack.outputs,
    dataDir: stack.dataDir,
  });
}

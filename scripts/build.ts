import path from 'node:path';
import { BUILD_DIR, type BuiltFile, buildFunctions } from '../sam/build';
import { PROJECT_ROOT } from '../sam/template';

/** `npm run build`: the functions as `sam build` builds them (sam/build.ts), into .build/. */

const started = performance.now();
buildFunctions(BUILD_DIR)
  .then((built) => {
    const kib = (files: BuiltFile[]) =>
      (files.reduce((sum, file) => sum + file.bytes, 0) / 1024).toFixed(1).padStart(7);
    for (const fn of built) {
      const onDemand = fn.files.filter((file) => !file.atInit);
      console.log(
        `  ${fn.logicalId.padEnd(32)} ${kib(fn.files.filter((file) => file.atInit))} KiB  ${path.relative(PROJECT_ROOT, fn.bundle)}${onDemand.length ? ` (+${kib(onDemand).trim()} KiB on demand)` : ''}`,
      );
    }
    console.log(
      `Built ${built.length} functions and ${path.relative(PROJECT_ROOT, path.join(BUILD_DIR, 'template.yaml'))} in ${Math.round(performance.now() - started)} ms`,
    );
  })
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });

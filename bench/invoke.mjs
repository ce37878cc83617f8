// @ts-check
/**
 * One Lambda execution environment, as the bench measures it: a fresh node process (plain
 * node, no loader, with the function's environment and NODE_OPTIONS) imports the bundle and
 * handles the events in order. The first one is the cold start; the others are warm
 * invocations of the same environment. Timings come from inside the process, so node's own
 * boot (which Lambda has already done before init) is reported apart.
 *
 * argv: <bundle> <export name> <events.json> <result.json>
 * The result goes to a file because the handler's logs own stdout, as on Lambda.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [bundle, exportName, eventsFile, resultFile] = process.argv.slice(2);
if (!bundle || !exportName || !eventsFile || !resultFile) {
  throw new Error('usage: invoke.mjs <bundle> <export> <events.json> <result.json>');
}
/** @type {unknown[]} */
const events = JSON.parse(readFileSync(eventsFile, 'utf8'));
const url = pathToFileURL(bundle).href;

/** @param {number} index */
const context = (index) => ({
  awsRequestId: `bench-${index}`,
  functionName: process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'bench',
  functionVersion: '$LATEST',
  memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? '512',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 10_000,
});

// performance.now() counts from the process's start: this is node's own boot. CPU time is
// kept beside wall time: on a busy machine it shows what the process itself spent.
const cpu = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const started = performance.now();
const startedCpu = cpu();
const handler = (await import(url))[exportName];
const imported = performance.now();
const importedCpu = cpu();
if (typeof handler !== 'function') throw new Error(`${bundle} does not export ${exportName}`);

/** @type {{ durationMs: number, cpuMs: number, statusCode: unknown, body: string }[]} */
const invocations = [];
for (const [index, event] of events.entries()) {
  const before = performance.now();
  const beforeCpu = cpu();
  const result = await handler(event, context(index));
  const durationMs = performance.now() - before;
  invocations.push({
    durationMs,
    cpuMs: cpu() - beforeCpu,
    statusCode: result?.statusCode,
    // Error bodies only (to tell why a status was unexpected): success bodies hold tokens.
    body:
      typeof result?.body === 'string' && Number(result?.statusCode) >= 400
        ? result.body.slice(0, 200)
        : '',
  });
}

writeFileSync(
  resultFile,
  JSON.stringify({
    bootMs: started,
    initMs: imported - started,
    initCpuMs: importedCpu - startedCpu,
    invocations,
  }),
);

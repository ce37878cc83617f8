// @ts-check
/**
 * One Lambda execution environment of the local gateway, in a worker thread with the
 * function's own environment: imports the bundle once (its cold start), then runs one
 * invocation at a time, as Lambda does.
 */
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';

const { bundle, exportName, sourceMaps } = workerData;
if (sourceMaps) process.setSourceMapsEnabled(true);
const handler = (await import(pathToFileURL(bundle).href))[exportName];
if (typeof handler !== 'function')
  throw new Error(`${bundle} does not export a function "${exportName}"`);

const port = parentPort;
if (!port) throw new Error('lambda-worker.mjs runs only as a worker thread');

port.on('message', async ({ id, event, context }) => {
  const deadline = Date.now() + context.timeoutMs;
  const lambdaContext = {
    ...context,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done() {},
    fail() {},
    succeed() {},
  };
  try {
    port.postMessage({ id, result: await handler(event, lambdaContext) });
  } catch (error) {
    const { name = 'Error', message = String(error) } = error instanceof Error ? error : {};
    port.postMessage({ id, error: { name, message } });
  }
});
port.postMessage({ ready: true });

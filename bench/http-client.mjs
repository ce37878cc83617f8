// @ts-check
/**
 * The bench's HTTP client, in a process of its own so that it never shares an event loop with
 * the gateway it measures (the local stack runs in the bench's main process). Takes one job
 * over IPC (tokens stay off the command line), answers with the figures, and exits.
 *
 * - latency: `count` sequential requests on one keep-alive connection after `warmup`; the
 *   duration of each (request written → response fully read).
 * - load: autocannon for `durationSeconds` with `connections` keep-alive connections.
 */
import { Agent, request } from 'node:http';
import autocannon from 'autocannon';

/**
 * @typedef {{ mode: 'latency', url: string, headers: Record<string, string>, warmup: number, count: number }} LatencyJob
 * @typedef {{ mode: 'load', url: string, method: 'GET' | 'POST', headers: Record<string, string>, body?: string, connections: number, durationSeconds: number }} LoadJob
 */

/** @param {LatencyJob} job */
async function latency(job) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const url = new URL(job.url);
  /** @returns {Promise<number>} the status */
  const once = () =>
    new Promise((resolve, reject) => {
      const outgoing = request(url, { agent, headers: job.headers }, (response) => {
        response.resume();
        response.once('end', () => resolve(response.statusCode ?? 0));
        response.once('error', reject);
      });
      outgoing.once('error', reject);
      outgoing.end();
    });
  /** @type {number[]} */
  const durations = [];
  let non2xx = 0;
  for (let index = 0; index < job.warmup + job.count; index += 1) {
    const started = performance.now();
    const status = await once();
    const duration = performance.now() - started;
    if (status < 200 || status > 299) non2xx += 1;
    if (index >= job.warmup) durations.push(duration);
  }
  agent.destroy();
  return { durations, non2xx };
}

/** @param {LoadJob} job */
async function load(job) {
  const result = await autocannon({
    url: job.url,
    method: job.method,
    headers: job.headers,
    ...(job.body === undefined ? {} : { body: job.body }),
    connections: job.connections,
    duration: job.durationSeconds,
  });
  return {
    requests: result.requests.total,
    rps: result.requests.average,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

process.once('message', (/** @type {LatencyJob | LoadJob} */ job) => {
  const work = job.mode === 'latency' ? latency(job) : load(job);
  work.then(
    (result) => process.send?.({ result }, () => process.exit(0)),
    (/** @type {Error} */ error) =>
      process.send?.({ error: error.message ?? String(error) }, () => process.exit(1)),
  );
});

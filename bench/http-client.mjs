// @ts-check
/**
 * The bench's HTTP client, in a process of its own so that it never shares an event loop with
 * the gateway it measures (the local stack runs in the bench's main process). Takes one job
 * over IPC (tokens stay off the command line), answers with the figures, and exits.
 *
 * - latency: `count` sequential requests on one keep-alive connection after `warmup`; the
 *   duration of each (request written → response fully read).
 * - load: autocannon for `durationSeconds` with `connections` keep-alive connections.
 * - paced: requests sent at `ratePerSecond`, on a schedule (not after the previous answer), until
 *   `countSeconds` after the first answer the gateway throttles (giving up after `drainSeconds`
 *   without one); answers how many went out and whether any was throttled.
 */
import { Agent, request } from 'node:http';
import autocannon from 'autocannon';

/**
 * @typedef {{ mode: 'latency', url: string, headers: Record<string, string>, warmup: number, count: number }} LatencyJob
 * @typedef {{ mode: 'load', url: string, method: 'GET' | 'POST', headers: Record<string, string>, body?: string, connections: number, durationSeconds: number }} LoadJob
 * @typedef {{ mode: 'paced', url: string, method: string, headers: Record<string, string>, body?: string, ratePerSecond: number, drainSeconds: number, countSeconds: number }} PacedJob
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

/** @param {PacedJob} job */
async function paced(job) {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const url = new URL(job.url);
  /** @type {Promise<void>[]} */
  const answers = [];
  /** @type {number | undefined} */
  let firstThrottledAt;
  const send = () =>
    new Promise((resolve, reject) => {
      const outgoing = request(
        url,
        { agent, method: job.method, headers: job.headers },
        (response) => {
          response.resume();
          response.once('end', () => {
            // The gateway's own 429 says so; a function's 429 would not.
            if (
              response.statusCode === 429 &&
              response.headers['x-amzn-errortype'] === 'TooManyRequestsException'
            ) {
              firstThrottledAt ??= performance.now();
            }
            resolve(undefined);
          });
          response.once('error', reject);
        },
      );
      outgoing.once('error', reject);
      outgoing.end(job.body);
    });
  const intervalMs = 1000 / job.ratePerSecond;
  const started = performance.now();
  for (let index = 0; ; index += 1) {
    const now = performance.now();
    if (firstThrottledAt === undefined && now - started > job.drainSeconds * 1000) break;
    if (firstThrottledAt !== undefined && now - firstThrottledAt > job.countSeconds * 1000) break;
    const wait = started + index * intervalMs - now;
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    answers.push(send());
  }
  await Promise.all(answers);
  agent.destroy();
  return { sent: answers.length, throttled: firstThrottledAt !== undefined };
}

process.once('message', (/** @type {LatencyJob | LoadJob | PacedJob} */ job) => {
  const work = job.mode === 'latency' ? latency(job) : job.mode === 'load' ? load(job) : paced(job);
  work.then(
    (result) => process.send?.({ result }, () => process.exit(0)),
    (/** @type {Error} */ error) =>
      process.send?.({ error: error.message ?? String(error) }, () => process.exit(1)),
  );
});

import { type ChildProcess, fork, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Every process the bench starts is tracked here, so that a failure or Ctrl-C kills exactly
 * those (by their own handle, never by name) before the stack is stopped.
 */
const running = new Set<ChildProcess>();

export function killChildren(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

function track(child: ChildProcess): ChildProcess {
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

const INVOKE = path.join(__dirname, 'invoke.mjs');
const HTTP_CLIENT = path.join(__dirname, 'http-client.mjs');

export interface InvokeResult {
  bootMs: number;
  initMs: number;
  initCpuMs: number;
  invocations: { durationMs: number; cpuMs: number; statusCode: unknown; body: string }[];
}

/**
 * Runs bench/invoke.mjs: a fresh `node` with exactly `env` (as Lambda gives a function only
 * its own environment), stdout discarded (the handler's logs), stderr kept for errors.
 */
export async function invokeFresh(options: {
  bundle: string;
  exportName: string;
  env: Record<string, string>;
  eventsFile: string;
  resultFile: string;
  timeoutMs: number;
}): Promise<InvokeResult> {
  const child = track(
    spawn(
      process.execPath,
      [INVOKE, options.bundle, options.exportName, options.eventsFile, options.resultFile],
      { env: options.env, cwd: path.dirname(options.bundle), stdio: ['ignore', 'ignore', 'pipe'] },
    ),
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${options.bundle} did not finish in ${options.timeoutMs} ms`));
    }, options.timeoutMs);
    child.once('error', reject);
    child.once('exit', (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  if (code !== 0) {
    // The SDK's notice about node versions is noise here; the error is what follows it.
    const reason = stderr.replace(
      /\(node:\d+\) Warning: NodeVersionSupportWarning[\s\S]*?\n\n/,
      '',
    );
    throw new Error(`${options.bundle} exited with code ${code}:\n${reason.trim().slice(-1500)}`);
  }
  return JSON.parse(await readFile(options.resultFile, 'utf8')) as InvokeResult;
}

/** Runs one job of bench/http-client.mjs in its own process and returns its answer. */
export async function httpClientJob<T>(job: object, timeoutMs: number): Promise<T> {
  // Plain node: without the tsx loader the bench itself runs under.
  const child = track(
    fork(HTTP_CLIENT, [], { execArgv: [], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] }),
  );
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the HTTP client did not finish in ${timeoutMs} ms`));
    }, timeoutMs);
    child.once('message', (message: { result?: T; error?: string }) => {
      clearTimeout(timer);
      if (message.error !== undefined) reject(new Error(message.error));
      else resolve(message.result as T);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the HTTP client exited with code ${code} before answering`));
    });
    child.send(job);
  });
}

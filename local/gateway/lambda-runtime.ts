import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { LOCAL_ACCOUNT_ID, type LocalFunction } from '../plan';

export type Invocation =
  | { outcome: 'result'; result: unknown; durationMs: number }
  | { outcome: 'error'; name: string; message: string; durationMs: number }
  | { outcome: 'timeout'; durationMs: number };

const WORKER = path.join(__dirname, 'lambda-worker.mjs');

/** One execution environment: a worker thread that has imported the bundle. */
class Sandbox {
  readonly worker: Worker;
  readonly ready: Promise<void>;
  private readonly pending = new Map<
    string,
    { resolve: (message: WorkerAnswer) => void; reject: (error: Error) => void }
  >();

  constructor(bundle: string, exportName: string, env: Record<string, string>, log: WriteStream) {
    this.worker = new Worker(WORKER, {
      env,
      workerData: {
        bundle,
        exportName,
        sourceMaps: /--enable-source-maps/.test(env.NODE_OPTIONS ?? ''),
      },
      stdout: true,
      stderr: true,
    });
    // Written chunk by chunk rather than piped: every environment of the function shares the
    // log file, and two pipes per environment into one stream trip node's listener-leak
    // warning as soon as a function runs six environments at once (as under load).
    const append = (chunk: Buffer) => {
      if (!log.writableEnded) log.write(chunk);
    };
    this.worker.stdout.on('data', append);
    this.worker.stderr.on('data', append);
    this.ready = new Promise((resolve, reject) => {
      const fail = (error: Error) => {
        reject(error);
        for (const { reject: rejectPending } of this.pending.values()) rejectPending(error);
        this.pending.clear();
      };
      this.worker.on('error', fail);
      this.worker.on('exit', (code) =>
        fail(new Error(`the execution environment exited (code ${code})`)),
      );
      this.worker.on('message', (message: WorkerAnswer & { ready?: boolean; id?: string }) => {
        if (message.ready) resolve();
        else if (message.id) {
          this.pending.get(message.id)?.resolve(message);
          this.pending.delete(message.id);
        }
      });
    });
    this.ready.catch(() => undefined);
  }

  run(event: unknown, context: object): Promise<WorkerAnswer> {
    const id = randomUUID();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, event, context });
    });
  }
}

interface WorkerAnswer {
  result?: unknown;
  error?: { name: string; message: string };
}

/**
 * A function of the template as Lambda runs it: each concurrent request gets its own
 * execution environment (new ones cold-start; idle ones are reused), one invocation at a time
 * each, with the function's environment variables and timeout. A timed-out or crashed
 * environment is discarded, as Lambda does.
 */
export class LocalLambda {
  private readonly idle: Sandbox[] = [];
  private readonly all = new Set<Sandbox>();
  private readonly waiting: ((sandbox: Sandbox) => void)[] = [];
  private readonly log: WriteStream;

  constructor(
    readonly fn: LocalFunction,
    private readonly bundle: { path: string; exportName: string },
    private readonly env: Record<string, string>,
    logDir: string,
    private readonly maxConcurrency = 10,
  ) {
    mkdirSync(logDir, { recursive: true });
    this.log = createWriteStream(path.join(logDir, `${fn.logicalId}.log`), { flags: 'a' });
  }

  async invoke(event: unknown, requestId: string): Promise<Invocation> {
    const started = performance.now();
    const sandbox = await this.acquire();
    try {
      await sandbox.ready;
    } catch (error) {
      this.discard(sandbox);
      return {
        outcome: 'error',
        name: 'Runtime.InitError',
        message: String((error as Error).message),
        durationMs: performance.now() - started,
      };
    }
    const timeoutMs = this.fn.timeoutSeconds * 1000;
    const context = {
      awsRequestId: requestId,
      functionName: this.env.AWS_LAMBDA_FUNCTION_NAME,
      functionVersion: '$LATEST',
      invokedFunctionArn: `arn:aws:lambda:${this.env.AWS_REGION}:${LOCAL_ACCOUNT_ID}:function:${this.env.AWS_LAMBDA_FUNCTION_NAME}`,
      memoryLimitInMB: String(this.fn.memoryMb),
      logGroupName: `/aws/lambda/${this.env.AWS_LAMBDA_FUNCTION_NAME}`,
      logStreamName: 'local',
      timeoutMs,
    };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    try {
      const answer = await Promise.race([sandbox.run(event, context), timeout]);
      const durationMs = performance.now() - started;
      if (answer === 'timeout') {
        this.discard(sandbox);
        return { outcome: 'timeout', durationMs };
      }
      this.release(sandbox);
      return answer.error
        ? { outcome: 'error', ...answer.error, durationMs }
        : { outcome: 'result', result: answer.result, durationMs };
    } catch (error) {
      this.discard(sandbox);
      return {
        outcome: 'error',
        name: 'Runtime.ExitError',
        message: String((error as Error).message),
        durationMs: performance.now() - started,
      };
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.all].map((sandbox) => sandbox.worker.terminate()));
    this.all.clear();
    this.idle.length = 0;
    await new Promise<void>((resolve) => this.log.end(resolve));
  }

  private acquire(): Promise<Sandbox> {
    const sandbox = this.idle.pop();
    if (sandbox) return Promise.resolve(sandbox);
    if (this.all.size < this.maxConcurrency) {
      const fresh = new Sandbox(this.bundle.path, this.bundle.exportName, this.env, this.log);
      this.all.add(fresh);
      fresh.worker.once('exit', () => this.forget(fresh));
      return Promise.resolve(fresh);
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(sandbox: Sandbox): void {
    const next = this.waiting.shift();
    if (next) next(sandbox);
    else this.idle.push(sandbox);
  }

  private discard(sandbox: Sandbox): void {
    this.forget(sandbox);
    void sandbox.worker.terminate();
    const next = this.waiting.shift();
    if (next) this.acquire().then(next, () => undefined);
  }

  private forget(sandbox: Sandbox): void {
    this.all.delete(sandbox);
    const index = this.idle.indexOf(sandbox);
    if (index !== -1) this.idle.splice(index, 1);
  }
}

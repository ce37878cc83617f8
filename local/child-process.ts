import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';

export interface ChildOptions {
  name: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  logFile: string;
  /** Rewrites each line of output before it reaches the log file. */
  redact?: (line: string) => string;
  /** Resolves once the child answers; polled until `readyTimeoutMs`. */
  ready: () => Promise<boolean>;
  readyTimeoutMs?: number;
  /**
   * Supervision: when the running process dies on its own, this hears why and the process is
   * started again (at most 3 times in a row).
   */
  onCrash?: (message: string) => void;
}

/** Ends the child when this process is gone, however it ended (see the file). */
const EXIT_WITH_PARENT = path.join(__dirname, 'exit-with-parent.cjs');

/**
 * A node child process (an emulator): output to its own log file, started only once it
 * answers, restarted if it dies while running. It runs in a process group of its own, so a
 * terminal's Ctrl-C (SIGINT to the foreground group) reaches only this process, which stops it
 * with `stop()`; it exits by itself when this process is gone.
 */
export class NodeChild {
  private child?: ChildProcess;
  private stopping = false;
  private crashes = 0;
  private pendingRestart?: NodeJS.Timeout;

  constructor(private readonly options: ChildOptions) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(): Promise<void> {
    const { name, args, cwd, env, logFile } = this.options;
    mkdirSync(path.dirname(logFile), { recursive: true });
    const log = createWriteStream(logFile, { flags: 'a' });
    this.stopping = false;
    const child = spawn(process.execPath, ['--require', EXIT_WITH_PARENT, ...args], {
      cwd,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.child = child;
    const killOnExit = () => child.kill();
    process.once('exit', killOnExit);
    let running = false;
    const { redact } = this.options;
    for (const output of [child.stdout, child.stderr]) {
      if (!output) continue;
      // Two sources share the log file: neither may end it.
      (redact ? output.pipe(lines(redact)) : output).pipe(log, { end: false });
    }
    const exited = new Promise<never>((_, reject) => {
      child.once('exit', (code, signal) => {
        process.off('exit', killOnExit);
        if (running && !this.stopping) this.restart(`code ${code}, signal ${signal}`);
        reject(
          new Error(`${name} exited during start (code ${code}, signal ${signal}); see ${logFile}`),
        );
      });
    });
    exited.catch(() => undefined);
    const deadline = Date.now() + (this.options.readyTimeoutMs ?? 15_000);
    while (Date.now() < deadline) {
      const ready = await Promise.race([this.options.ready().catch(() => false), exited]);
      if (ready) {
        running = true;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await this.stop();
    throw new Error(`${name} did not become ready in time; see ${logFile}`);
  }

  private restart(why: string): void {
    const report = this.options.onCrash;
    if (!report) return;
    this.crashes += 1;
    if (this.crashes > 3) {
      report(`${this.options.name} keeps stopping (${why}); not restarting it again`);
      return;
    }
    report(`${this.options.name} stopped unexpectedly (${why}); restarting it`);
    this.pendingRestart = setTimeout(() => {
      this.pendingRestart = undefined;
      this.start().then(
        () => {
          this.crashes = 0;
        },
        (error: Error) => {
          if (!this.stopping) report(`${this.options.name} did not restart: ${error.message}`);
        },
      );
    }, 500);
  }

  async stop(): Promise<void> {
    // Also when the child has just died: a restart it scheduled must not outlive the stop.
    this.stopping = true;
    clearTimeout(this.pendingRestart);
    this.pendingRestart = undefined;
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }
}

/** True when `url` answers with any HTTP status. */
export async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
    await response.arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

/** A stream that applies `rewrite` to every complete line passing through. */
function lines(rewrite: (line: string) => string): Transform {
  let pending = '';
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const text = pending + chunk.toString('utf8');
      const cut = text.lastIndexOf('\n') + 1;
      pending = text.slice(cut);
      done(
        null,
        text
          .slice(0, cut)
          .split('\n')
          .map((line, index, all) => (index < all.length - 1 ? rewrite(line) : line))
          .join('\n'),
      );
    },
    flush(done) {
      done(null, pending ? rewrite(pending) : '');
    },
  });
}

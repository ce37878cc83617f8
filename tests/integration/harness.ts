import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type LocalOutputs, outputsFile } from '../../local/stack';
import { PROJECT_ROOT } from '../../sam/template';

/**
 * Runs `npm start` itself (local/start.ts, through tsx) as a child process on free ports with
 * its own data directory, the way a user runs it, and stops it with SIGINT as Ctrl-C does.
 */
export interface RunningStack {
  outputs: LocalOutputs;
  dataDir: string;
  output: () => string;
  /** Resolves once the printout matches `pattern` (it is written asynchronously). */
  waitForOutput: (pattern: RegExp) => Promise<void>;
  /**
   * Ctrl-C: SIGINT to the process (to its whole process group when started `inATerminal`, as
   * a terminal sends it); resolves with the exit code.
   */
  stop: () => Promise<number | null>;
  process: ChildProcess;
}

export interface StartOptions {
  /**
   * As a terminal runs it: `npm start` itself (npm, its shell, tsx, node) in a process group
   * of its own, so that SIGINT to the whole group is exactly a terminal's Ctrl-C.
   */
  inATerminal?: boolean;
  /** What follows `npm start --`, e.g. ['--parameter-overrides', 'ApiKeyRequired=true']. */
  args?: string[];
}

/**
 * template.yaml's throttles raised out of reach, for stacks whose tests fire requests at loopback
 * speed to test the functions: with the defaults (10 a second on sign-in and sign-up), the
 * gateway would answer many of them with 429 before the function ever saw them, as API Gateway
 * would. The throttles themselves are tested with small limits (throttling.test.ts).
 */
export const UNTHROTTLED = [
  '--parameter-overrides',
  'ThrottlingRateLimit=1000000 ThrottlingBurstLimit=1000000',
  'AuthThrottlingRateLimit=1000000 AuthThrottlingBurstLimit=1000000',
];

export function newDataDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'local-stack-'));
}

export function startCommand(
  env: Record<string, string>,
  { inATerminal = false, args: extra = [] }: StartOptions = {},
): ChildProcess {
  const [command, args] = inATerminal
    ? ['npm', ['start', ...(extra.length > 0 ? ['--', ...extra] : [])]]
    : [process.execPath, [require.resolve('tsx/cli'), 'local/start.ts', ...extra]];
  return spawn(command, args, {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      API_PORT: '0',
      COGNITO_PORT: '0',
      S3_PORT: '0',
      DYNAMODB_PORT: '0',
      WEB_PORT: '0',
      LOCAL_SKIP_BUILD: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: inATerminal,
  });
}

/**
 * The processes still running that belong to a stack: any whose command line, working
 * directory or environment names its (unique) data directory.
 */
export function processesOf(dataDir: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    const traces = [
      () => readFileSync(`/proc/${pid}/cmdline`, 'utf8'),
      () => readFileSync(`/proc/${pid}/environ`, 'utf8'),
      () => readlinkSync(`/proc/${pid}/cwd`),
    ];
    const mentions = traces.some((trace) => {
      try {
        return trace().includes(dataDir);
      } catch {
        return false; // gone meanwhile, or not ours to read
      }
    });
    if (mentions) found.push(pid);
  }
  return found;
}

export async function spawnStack(
  env: Record<string, string> = {},
  options: StartOptions = {},
): Promise<RunningStack> {
  // Every port is 0: the stack finds free ones and hands their numbers to the emulators, and
  // on a busy machine another process may take one in between (an outgoing connection's
  // ephemeral port). That is the machine's race, not the stack's fault: start again, twice at most.
  for (let attempt = 1; ; attempt++) {
    try {
      return await spawnStackOnce(env, options);
    } catch (error) {
      if (attempt === 3 || !/EADDRINUSE/.test((error as Error).message)) throw error;
    }
  }
}

async function spawnStackOnce(
  env: Record<string, string>,
  options: StartOptions,
): Promise<RunningStack> {
  const dataDir = env.LOCAL_DATA_DIR ?? newDataDir();
  // npm start writes its outputs last: one left by an earlier start here must not read as ready.
  const readyFile = outputsFile(dataDir);
  rmSync(readyFile, { force: true });
  const child = startCommand({ LOCAL_DATA_DIR: dataDir, ...env }, options);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  await new Promise<void>((resolve, reject) => {
    const deadline = Date.now() + 30_000;
    const poll = setInterval(() => {
      if (existsSync(readyFile)) {
        clearInterval(poll);
        // The printout went into the pipe before the file was written: one turn of the event
        // loop reads what is left of it.
        setImmediate(resolve);
      } else if (Date.now() > deadline) {
        clearInterval(poll);
        reject(new Error(`local stack not ready in 30 s:\n${output}`));
      }
    }, 25);
    exited.then((code) => {
      clearInterval(poll);
      reject(new Error(`local stack exited with ${code}:\n${output}`));
    });
  });
  const outputs = JSON.parse(readFileSync(readyFile, 'utf8')) as LocalOutputs;
  return {
    outputs,
    dataDir,
    output: () => output,
    waitForOutput: async (pattern) => {
      const deadline = Date.now() + 5_000;
      while (!pattern.test(output)) {
        if (Date.now() > deadline)
          throw new Error(`the printout never matched ${pattern}:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    process: child,
    stop: async () => {
      if (child.exitCode === null) {
        if (options.inATerminal && child.pid !== undefined) process.kill(-child.pid, 'SIGINT');
        else child.kill('SIGINT');
      }
      return exited;
    },
  };
}

/** The "Try it" sequence `npm start` prints, one command a line, as printed. */
export function tryItScript(printout: string): string[] {
  const lines = printout.split('\n');
  const start = lines.findIndex((line) => line.startsWith('Try it'));
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((line) => !line.startsWith('  '));
  return rest.slice(0, end).map((line) => line.slice(2));
}

/** The shared stack started by global-setup.ts for every integration test file. */
export function sharedStack(): { outputs: LocalOutputs; dataDir: string } {
  const raw = process.env.SHARED_LOCAL_STACK;
  if (!raw)
    throw new Error(
      'SHARED_LOCAL_STACK is not set: run the integration tests through jest (npm test)',
    );
  return JSON.parse(raw) as { outputs: LocalOutputs; dataDir: string };
}

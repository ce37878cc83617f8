import { createServer } from 'node:net';

/** Where `npm start` listens unless told otherwise, by the variable that changes each. */
export const DEFAULT_PORTS = {
  API_PORT: 3000,
  COGNITO_PORT: 9229,
  S3_PORT: 4569,
  DYNAMODB_PORT: 4567,
  WEB_PORT: 5173,
} as const;

/** Fails with a clear message when `port` is taken; 0 means "any free port" and always passes. */
export async function assertPortFree(port: number, what: string, variable: string): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new Error(
          error.code === 'EADDRINUSE'
            ? `Port ${port} (${what}) is already in use. Stop whatever uses it, or pick another port: ${variable}=<port> npm start`
            : `Cannot listen on 127.0.0.1:${port} (${what}): ${error.message}`,
        ),
      );
    });
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}

/** A port that was free a moment ago, for processes that cannot report the one they bound. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Reads a port from the environment: a number from 0 to 65535, else a clear error. */
export function portFromEnv(
  variable: string,
  fallback: number,
  env: NodeJS.ProcessEnv = process.env,
): number {
  const raw = env[variable];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`${variable}=${raw} is not a port number (0-65535; 0 picks a free one)`);
  }
  return port;
}

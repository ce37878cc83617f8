import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { build } from 'esbuild';
import { PROJECT_ROOT } from '../sam/template';
import { closeNow, listenOnLoopback } from './http-listen';

const WEB_DIR = path.join(PROJECT_ROOT, 'web');

/**
 * Serves the demo page (web/) on its own origin, so that the browser really does CORS and
 * cross-origin cookies against the API: index.html, app.css, app.js (web/app.ts bundled by
 * esbuild at start) and /config.json, which tells the page where the API is and, for a stack
 * started with ApiKeyRequired=true, its API key (an app that hands out its key does so too).
 */
export class DemoWebServer {
  private server?: Server;

  constructor(
    private readonly apiUrl: string,
    private readonly apiKey?: string,
  ) {}

  async listen(port: number): Promise<number> {
    const bundle = await build({
      entryPoints: [path.join(WEB_DIR, 'app.ts')],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      write: false,
      logLevel: 'warning',
    });
    const files: Record<string, { type: string; body: string | Buffer }> = {
      '/': {
        type: 'text/html; charset=utf-8',
        body: await readFile(path.join(WEB_DIR, 'index.html')),
      },
      '/app.css': {
        type: 'text/css; charset=utf-8',
        body: await readFile(path.join(WEB_DIR, 'app.css')),
      },
      '/app.js': {
        type: 'text/javascript; charset=utf-8',
        body: bundle.outputFiles[0]?.text ?? '',
      },
      '/config.json': {
        type: 'application/json',
        body: JSON.stringify({
          apiUrl: this.apiUrl,
          ...(this.apiKey ? { apiKey: this.apiKey } : {}),
        }),
      },
    };
    const csp = [
      "default-src 'self'",
      `connect-src 'self' ${new URL(this.apiUrl).origin}`,
      "script-src 'self'",
      "style-src 'self'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
      "form-action 'none'",
    ].join('; ');
    this.server = createServer((request, response) => {
      const file = files[new URL(request.url ?? '/', 'http://localhost').pathname];
      if (request.method !== 'GET' || !file) {
        response.writeHead(404, { 'Content-Type': 'text/plain' });
        response.end('Not found');
        return;
      }
      response.writeHead(200, {
        'Content-Type': file.type,
        'Content-Security-Policy': csp,
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
        'Cache-Control': 'no-store',
      });
      response.end(file.body);
    });
    return listenOnLoopback(this.server, port);
  }

  async close(): Promise<void> {
    await closeNow(this.server);
  }
}

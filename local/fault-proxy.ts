import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP pass-through between the functions and one dependency (the local Cognito or S3), so
 * tests can make that dependency slow: in slow mode each new connection waits `delayMs` before
 * it is connected through, and is dropped, unsent, if the client gave up meanwhile. Switching
 * modes closes the open connections so that pooled keep-alive sockets feel it at once.
 */
export class FaultProxy {
  private server?: Server;
  private delayMs = 0;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly upstreamPort: number) {}

  setDelay(delayMs: number): void {
    this.delayMs = delayMs;
    for (const socket of this.sockets) socket.destroy();
  }

  async listen(): Promise<number> {
    this.server = createServer((client) => {
      this.sockets.add(client);
      client.once('close', () => this.sockets.delete(client));
      client.on('error', () => client.destroy());
      client.pause();
      const connect = () => {
        if (client.destroyed) return;
        const upstream = createConnection({ host: '127.0.0.1', port: this.upstreamPort });
        this.sockets.add(upstream);
        upstream.once('close', () => {
          this.sockets.delete(upstream);
          client.destroy();
        });
        upstream.on('error', () => upstream.destroy());
        client.once('close', () => upstream.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
      };
      if (this.delayMs > 0) setTimeout(connect, this.delayMs);
      else connect();
    });
    await new Promise<void>((resolve, reject) => {
      this.server?.once('error', reject);
      this.server?.listen(0, '127.0.0.1', resolve);
    });
    const address = this.server.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    const server = this.server;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

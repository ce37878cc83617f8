import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface StubAnswer {
  status: number;
  body?: string | object;
  contentType?: string;
}

/**
 * A stand-in for the API or Cognito on 127.0.0.1: records every request and answers each as
 * `answer` says (set it per test); `undefined` leaves the request unanswered.
 */
export async function stubServer() {
  const stub = {
    url: '',
    requests: [] as StubRequest[],
    answer: (_request: StubRequest): StubAnswer | undefined => ({ status: 500 }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const request = {
        method: incoming.method ?? '',
        url: incoming.url ?? '',
        headers: incoming.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      stub.requests.push(request);
      const answer = stub.answer(request);
      if (!answer) return;
      const { status, body = '', contentType = 'application/json' } = answer;
      response.writeHead(status, { 'Content-Type': contentType });
      response.end(typeof body === 'string' ? body : JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return stub;
}

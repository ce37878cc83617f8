import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { closeNow, listenOnLoopback } from '../http-listen';
import type { Mailbox } from '../mailbox';
import type { LocalPlan } from '../plan';
import { AccessTokenCheck } from './access-token-check';
import { ChallengeSessions } from './challenge-sessions';
import { CognitoLocalClient } from './cognito-local-client';
import { CognitoCorrections } from './corrections';
import { discoveryDocument } from './discovery';
import { CognitoError } from './errors';
import { IssuedTokens } from './issued-tokens';
import { Lockout } from './lockout';
import { TokenLedger } from './token-ledger';
import { operationOf, parseRequest } from './wire';

export interface LocalCognitoOptions {
  /** cognito-local's own address, on loopback. */
  upstream: string;
  plan: LocalPlan;
  mailbox: Mailbox;
  /** Where the token ledger keeps its journal (token-ledger.ts). */
  ledgerFile: string;
}

/**
 * The local Cognito endpoint (CognitoEndpoint): Cognito's JSON protocol, answered by the
 * corrections (corrections.ts) where cognito-local is not Cognito and by cognito-local
 * otherwise, plus the pool's OIDC discovery document (correction 15). Every other request
 * (the JWKS, …) is cognito-local's.
 */
export class LocalCognito {
  private server?: Server;
  private port?: number;
  private readonly upstream: CognitoLocalClient;
  private readonly accessTokens: AccessTokenCheck;
  private readonly corrections: CognitoCorrections;

  constructor(private readonly options: LocalCognitoOptions) {
    const { plan, mailbox } = options;
    this.upstream = new CognitoLocalClient(options.upstream, plan.userPool.id);
    const ledger = new TokenLedger(options.ledgerFile);
    this.accessTokens = new AccessTokenCheck(
      { id: plan.userPool.id, clientId: plan.client.ClientId },
      ledger,
    );
    this.corrections = new CognitoCorrections({
      plan,
      mailbox,
      upstream: this.upstream,
      ledger,
      accessTokens: this.accessTokens,
      lockout: new Lockout(),
      challengeSessions: new ChallengeSessions(plan.client.AuthSessionValidity),
      issuedTokens: new IssuedTokens({
        client: plan.client,
        ledger,
        user: (username) => this.upstream.user(username),
      }),
    });
  }

  /** Loads the emulator's signing keys (local-only) and listens on `port` (0: any). */
  async listen(port: number): Promise<number> {
    await this.accessTokens.loadEmulatorKeys(
      `${this.options.upstream}/${this.options.plan.userPool.id}/.well-known/jwks.json`,
    );
    this.server = createServer((request, response) => {
      this.serve(request, response).catch((error: unknown) => {
        if (!response.headersSent)
          this.reply(response, 500, { __type: 'InternalErrorException', message: String(error) });
      });
    });
    this.port = await listenOnLoopback(this.server, port);
    return this.port;
  }

  /** Where clients reach it (the CognitoEndpoint output). */
  get endpoint(): string {
    if (this.port === undefined) throw new Error('The local Cognito is not listening yet');
    return `http://localhost:${this.port}`;
  }

  async close(): Promise<void> {
    await closeNow(this.server);
  }

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const { plan } = this.options;
    const operation =
      request.method === 'POST' ? operationOf(request.headers['x-amz-target']) : undefined;
    if (operation) {
      try {
        const parsed = parseRequest(body);
        if (parsed) {
          this.reply(response, 200, await this.corrections.handle(operation, parsed));
          return;
        }
      } catch (error) {
        if (!(error instanceof CognitoError)) throw error;
        this.reply(response, error.status, { __type: error.type, message: error.message });
        return;
      }
    } else if (
      request.method === 'GET' &&
      new URL(request.url ?? '/', 'http://localhost').pathname ===
        `/${plan.userPool.id}/.well-known/openid-configuration`
    ) {
      const document = discoveryDocument({
        region: plan.region,
        userPoolId: plan.userPool.id,
        endpoint: this.endpoint,
      });
      response.writeHead(200, {
        'Content-Type': 'application/json',
        'Access-Control-Allow-Origin': '*',
      });
      response.end(JSON.stringify(document));
      return;
    }
    const answer = await this.upstream.forwardHttp(request, body);
    response.writeHead(answer.status, { 'Content-Type': answer.contentType });
    response.end(answer.body);
  }

  private reply(response: ServerResponse, status: number, body: unknown): void {
    response.writeHead(status, {
      'Content-Type': 'application/x-amz-json-1.1',
      'x-amzn-RequestId': randomUUID(),
      'Access-Control-Allow-Origin': '*',
    });
    response.end(JSON.stringify(body));
  }
}

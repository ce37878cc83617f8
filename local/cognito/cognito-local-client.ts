import type { IncomingMessage } from 'node:http';
import * as v from 'valibot';
import { CognitoError } from './errors';
import type { OperationName, RequestOf, ResponseOf } from './operations';

/** cognito-local's error answers: `{"__type", "message"}`, or `{"code", …}` from its own checks. */
const ErrorAnswer = v.looseObject({
  __type: v.optional(v.string()),
  code: v.optional(v.string()),
  message: v.optional(v.string()),
});

/** A user of the pool as the corrections need it (from AdminGetUser). */
export interface PoolUser {
  Username: string;
  Enabled: boolean;
  UserStatus: string;
  attributes: Record<string, string>;
  /** The MFA the user has turned on (UserMFASettingList): SOFTWARE_TOKEN_MFA once enrolled. */
  mfaSettings: string[];
}

export interface ForwardedAnswer {
  status: number;
  contentType: string;
  body: Buffer;
}

/**
 * cognito-local, as the layer in front of it calls it: Cognito's JSON 1.1 protocol over HTTP
 * on loopback, its error answers turned into CognitoError (with cognito-local's status), and
 * anything else (its JWKS, …) forwarded as it came.
 */
export class CognitoLocalClient {
  constructor(
    readonly endpoint: string,
    private readonly userPoolId: string,
  ) {}

  async call<O extends OperationName>(operation: O, request: RequestOf<O>): Promise<ResponseOf<O>> {
    return (await this.post(operation, request)) as ResponseOf<O>;
  }

  /** An operation the layer does not correct, passed on with its answer untouched. */
  async forward(operation: string, request: object): Promise<unknown> {
    return this.post(operation, request);
  }

  /** The pool's user of that name, or undefined when there is none. */
  async user(username: string | undefined): Promise<PoolUser | undefined> {
    try {
      const found = await this.call('AdminGetUser', {
        UserPoolId: this.userPoolId,
        Username: username ?? '',
      });
      return {
        Username: found.Username ?? '',
        Enabled: found.Enabled !== false,
        UserStatus: found.UserStatus ?? '',
        attributes: Object.fromEntries(
          (found.UserAttributes ?? []).map(({ Name = '', Value = '' }) => [Name, Value]),
        ),
        mfaSettings: found.UserMFASettingList ?? [],
      };
    } catch (error) {
      if (error instanceof CognitoError && error.type === 'UserNotFoundException') return undefined;
      throw error;
    }
  }

  /** A request that is not a Cognito operation (the JWKS, cognito-local's own routes). */
  async forwardHttp(request: IncomingMessage, body: Buffer): Promise<ForwardedAnswer> {
    const upstream = await fetch(new URL(request.url ?? '/', this.endpoint), {
      method: request.method ?? 'GET',
      headers: Object.fromEntries(
        Object.entries(request.headers).filter(
          (entry): entry is [string, string] => typeof entry[1] === 'string' && entry[0] !== 'host',
        ),
      ),
      ...(body.length > 0 ? { body } : {}),
    });
    return {
      status: upstream.status,
      contentType: upstream.headers.get('content-type') ?? 'application/json',
      body: Buffer.from(await upstream.arrayBuffer()),
    };
  }

  private async post(operation: string, request: object): Promise<unknown> {
    const response = await fetch(this.endpoint, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.1',
        'X-Amz-Target': `AWSCognitoIdentityProviderService.${operation}`,
      },
      body: JSON.stringify(request),
      signal: AbortSignal.timeout(5_000),
    });
    const answer: unknown = await response.json().catch(() => ({}));
    if (response.ok) return answer;
    const parsed = v.safeParse(ErrorAnswer, answer);
    const { __type, code, message } = parsed.success ? parsed.output : {};
    throw new CognitoError(
      __type ?? code ?? 'InternalErrorException',
      message ?? '',
      response.status,
    );
  }
}

import type {
  UpdateUserAttributesRequest,
  UpdateUserAttributesResponse,
  VerifyUserAttributeRequest,
  VerifyUserAttributeResponse,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Mailbox } from '../mailbox';
import type { LocalPlan } from '../plan';
import type { AccessTokenCheck } from './access-token-check';
import type { CognitoLocalClient, PoolUser } from './cognito-local-client';
import { maskedDelivery } from './delivery';
import { CognitoError, codeMismatch } from './errors';
import { PendingEmailChanges } from './pending-email-changes';

export interface EmailChangeCorrectionsOptions {
  plan: LocalPlan;
  mailbox: Mailbox;
  upstream: CognitoLocalClient;
  accessTokens: AccessTokenCheck;
}

/**
 * A change of email where cognito-local is not Cognito. Correction 22: Cognito sends the code
 * to the new address and keeps the old one as the email and sign-in name until that code comes
 * back (AttributesRequireVerificationBeforeUpdate); cognito-local sends its code to the old
 * address. Here the code goes to the new address's mailbox, and the change is made when it is
 * verified. Correction 23: an address another account uses is refused (AliasExistsException),
 * when asked for and again when verified; cognito-local would give two users one address.
 */
export class EmailChangeCorrections {
  private readonly pending = new PendingEmailChanges();

  constructor(private readonly options: EmailChangeCorrectionsOptions) {}

  private get upstream() {
    return this.options.upstream;
  }

  private get requiresVerification(): boolean {
    const settings = this.options.plan.userPool.properties.UserAttributeUpdateSettings as
      | { AttributesRequireVerificationBeforeUpdate?: string[] }
      | undefined;
    return (settings?.AttributesRequireVerificationBeforeUpdate ?? []).includes('email');
  }

  async updateUserAttributes(
    request: UpdateUserAttributesRequest,
  ): Promise<UpdateUserAttributesResponse> {
    const user = await this.caller(request.AccessToken);
    const attributes = request.UserAttributes ?? [];
    const email = attributes.find((attribute) => attribute.Name === 'email')?.Value;
    if (email === undefined || !this.requiresVerification || email === user.attributes.email) {
      return this.upstream.call('UpdateUserAttributes', request);
    }
    await this.assertFree(email, user);
    const others = attributes.filter((attribute) => attribute.Name !== 'email');
    if (others.length > 0) {
      await this.upstream.call('UpdateUserAttributes', { ...request, UserAttributes: others });
    }
    this.pending.request(user.Username, email);
    this.options.mailbox.deliver(email, 'verify-email');
    return { CodeDeliveryDetailsList: [maskedDelivery(email)] };
  }

  async verifyUserAttribute(
    request: VerifyUserAttributeRequest,
  ): Promise<VerifyUserAttributeResponse> {
    const user = await this.caller(request.AccessToken);
    const email = this.pending.of(user.Username);
    if (request.AttributeName !== 'email' || email === undefined) {
      return this.upstream.call('VerifyUserAttribute', request);
    }
    const check = this.options.mailbox.check(email, 'verify-email', request.Code ?? '');
    if (check === 'mismatch') throw codeMismatch();
    if (check === 'expired') {
      throw new CognitoError(
        'ExpiredCodeException',
        'Invalid code provided, please request a code again.',
      );
    }
    await this.assertFree(email, user);
    await this.upstream.call('AdminUpdateUserAttributes', {
      UserPoolId: this.options.plan.userPool.id,
      Username: user.Username,
      UserAttributes: [
        { Name: 'email', Value: email },
        { Name: 'email_verified', Value: 'true' },
      ],
    });
    this.options.mailbox.consume(email, 'verify-email');
    this.pending.done(user.Username);
    return {};
  }

  /** The user an access token names (correction 8 verifies the token). */
  private async caller(accessToken: string | undefined): Promise<PoolUser> {
    const { sub } = await this.options.accessTokens.verify(accessToken);
    const user = await this.upstream.user(sub);
    if (!user) throw new CognitoError('NotAuthorizedException', 'Invalid Access Token');
    return user;
  }

  private async assertFree(email: string, user: PoolUser): Promise<void> {
    const holder = await this.upstream.user(email);
    if (holder && holder.Username !== user.Username) {
      throw new CognitoError(
        'AliasExistsException',
        'An account with the given email already exists.',
      );
    }
  }
}

import {
  GetUserCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { callCognito } from './cognito';
import { cognito } from './cognito-client';

/**
 * Changing the email, which is also the sign-in name. The pool requires a new address to be
 * verified before it replaces the old one (AttributesRequireVerificationBeforeUpdate in
 * auth-stack.yaml): until the code sent to the new address comes back, the old address stays
 * the sign-in name and the tokens' `email` claim.
 */

export interface CodeDelivery {
  medium: string;
  destination: string;
}

/** Sends a code to `newEmail`; nothing changes yet. */
export async function requestEmailChange(
  accessToken: string,
  newEmail: string,
): Promise<CodeDelivery | undefined> {
  const output = await callCognito('changeEmail', () =>
    cognito.send(
      new UpdateUserAttributesCommand({
        AccessToken: accessToken,
        UserAttributes: [{ Name: 'email', Value: newEmail }],
      }),
    ),
  );
  const [delivery] = output.CodeDeliveryDetailsList ?? [];
  return delivery?.Destination
    ? { medium: delivery.DeliveryMedium ?? 'EMAIL', destination: delivery.Destination }
    : undefined;
}

/** The code from the new address: the new address becomes the email and sign-in name. */
export async function confirmEmailChange(
  accessToken: string,
  code: string,
): Promise<{ email: string; emailVerified: boolean }> {
  await callCognito('verifyEmail', () =>
    cognito.send(
      new VerifyUserAttributeCommand({
        AccessToken: accessToken,
        AttributeName: 'email',
        Code: code,
      }),
    ),
  );
  const user = await callCognito('readUser', () =>
    cognito.send(new GetUserCommand({ AccessToken: accessToken })),
  );
  const attributes = new Map(user.UserAttributes?.map(({ Name, Value }) => [Name, Value]));
  return {
    email: attributes.get('email') ?? '',
    emailVerified: attributes.get('email_verified') === 'true',
  };
}

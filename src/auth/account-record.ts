import { AdminGetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { config } from '../config';
import { callCognito } from './cognito';
import { cognito } from './cognito-client';

/** What Cognito holds about a user that an export of their data includes. */
export interface AccountRecord {
  sub: string;
  email: string;
  emailVerified: boolean;
  createdAt: string;
}

/**
 * The user's account as Cognito keeps it (AdminGetUser: the public GetUser does not say when
 * the account was created). The pool's usernames are the users' subs, so the verified `sub`
 * names the user; IAM allows this function AdminGetUser on the pool only.
 */
export async function accountRecord(sub: string): Promise<AccountRecord> {
  const user = await callCognito('readAccount', () =>
    cognito.send(new AdminGetUserCommand({ UserPoolId: config.userPoolId, Username: sub })),
  );
  const attributes = new Map(user.UserAttributes?.map(({ Name, Value }) => [Name, Value]));
  return {
    sub,
    email: attributes.get('email') ?? '',
    emailVerified: attributes.get('email_verified') === 'true',
    createdAt: (user.UserCreateDate ?? new Date(0)).toISOString(),
  };
}

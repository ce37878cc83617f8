import {
  AdminDeleteUserCommand,
  AdminGetUserCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { config } from '../config';
import { cognito } from './cognito-client';
import { mapCognitoError } from './cognito-errors';

/**
 * The Cognito side of deleting an account. The pool's usernames are the users' subs, so the
 * verified `sub` names the user; IAM allows the function AdminGetUser and AdminDeleteUser on
 * the pool only.
 */

/** Whether the user is still in the pool (a deletion that did not finish left it there). */
export async function accountExists(sub: string): Promise<boolean> {
  try {
    await cognito.send(new AdminGetUserCommand({ UserPoolId: config.userPoolId, Username: sub }));
    return true;
  } catch (error) {
    if ((error as Error).name === 'UserNotFoundException') return false;
    throw mapCognitoError(error, 'readAccount');
  }
}

/** Deletes the user from the pool; a user already gone (a repeated request) counts as deleted. */
export async function deleteCognitoUser(sub: string): Promise<void> {
  try {
    await cognito.send(
      new AdminDeleteUserCommand({ UserPoolId: config.userPoolId, Username: sub }),
    );
  } catch (error) {
    if ((error as Error).name === 'UserNotFoundException') return;
    throw mapCognitoError(error, 'deleteAccount');
  }
}

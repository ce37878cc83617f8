import { callerFrom } from '../../auth/caller';
import { httpHandler } from '../../http/handler';
import { json } from '../../http/response';

/** GET /me (protected): the caller, straight from the verified ID token; no Cognito call. */
export const handler = httpHandler(async (event) => json(200, callerFrom(event)));

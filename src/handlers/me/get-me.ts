import { protectedHandler } from '../../http/protected-handler';
import { json } from '../../http/response';

/** GET /me (protected): the caller, straight from the verified ID token; no Cognito call. */
export const handler = protectedHandler(async (_event, caller) => json(200, caller));

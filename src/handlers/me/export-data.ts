import { accountRecord } from '../../auth/account-record';
import { protectedHandler } from '../../http/protected-handler';
import { parseJsonBody } from '../../http/request';
import { json } from '../../http/response';
import { EXPORT_LINK_SECONDS, ExportRequest } from '../../http/storage-requests';
import { securityEvent } from '../../security-events';
import { userExports } from '../../storage/exports';
import { userStore } from '../../storage/store';

/**
 * POST /me/export (protected): everything the API keeps about the caller, as one JSON
 * document under their own prefix, and a link that downloads it for 15 minutes. A link rather
 * than the document itself: Lambda's response payload stops at 6 MB.
 */
export const handler = protectedHandler(async (event, { sub }) => {
  if (event.body) parseJsonBody(event, ExportRequest, { maxBytes: 1024 });
  const [account, profile, logs] = await Promise.all([
    accountRecord(sub),
    userStore.getProfile(sub),
    userStore.allLogs(sub),
  ]);
  const document = JSON.stringify({ exportedAt: new Date().toISOString(), account, profile, logs });
  const link = await userExports.saveExport(sub, document, EXPORT_LINK_SECONDS);
  securityEvent('data-export', 'success', { sub });
  return json(200, link);
});

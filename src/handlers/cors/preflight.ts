import { config } from '../../config';
import { preflightHeaders } from '../../http/cors';
import { httpHandler } from '../../http/handler';
import { header } from '../../http/request';
import { noContent } from '../../http/response';

/**
 * OPTIONS on every path: the CORS preflight. SAM's `Cors` can name one origin only, so the
 * preflight is answered here, against the AllowedOrigins list: an allowed origin is granted
 * credentials, methods and headers; any other gets a 204 with no grant, and the browser
 * stops there.
 */
export const handler = httpHandler(async (event) => {
  const response = noContent();
  Object.assign(response.headers, preflightHeaders(header(event, 'origin'), config.allowedOrigins));
  return response;
});

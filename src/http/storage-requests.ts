import * as v from 'valibot';
import { ApiError } from '../errors';
import { LOG_ID } from '../storage/log-ids';

/**
 * What the storage routes accept: bodies (named as openapi.yaml's components, and compared with
 * them by tests/templates/openapi-schemas.test.ts), their size limits, the log id path and the
 * listing query; and the answer for a log id the caller has no entry under.
 */

/** PUT /me/profile: a JSON object of at most 16 KiB, stored whole. */
export const PROFILE_MAX_BYTES = 16 * 1024;
/** POST /me/logs: `{content}` of at most 256 KiB in all. */
export const LOG_BODY_MAX_BYTES = 256 * 1024;

/**
 * A JSON object passed on exactly as parsed. valibot's object and record schemas build a copy
 * that leaves out the keys `__proto__`, `constructor` and `prototype`, which would drop what the
 * caller stored without a word. JSON.parse makes such keys plain own properties (it never sets
 * a prototype) and JSON.stringify writes them back, so the object itself is safe to keep.
 */
export const JsonObject = v.custom<Record<string, unknown>>(
  (input) => typeof input === 'object' && input !== null && !Array.isArray(input),
  'must be a JSON object',
);

export const Profile = JsonObject;

export const CreateLogRequest = v.strictObject({
  content: v.union(
    [v.string(), v.number(), v.boolean(), JsonObject, v.array(v.unknown())],
    'is required (a string or any JSON value)',
  ),
});

/** GET and DELETE /me/logs/{id}. */
export const LogPath = v.object({ id: v.pipe(v.string(), v.regex(LOG_ID, 'is not a log id')) });

/** Also the answer for another user's id: whether it exists elsewhere is nobody's business. */
export function logNotFound(): ApiError {
  return new ApiError('NotFound', 'There is no log entry with this id.');
}

export const ListLogsQuery = v.object({
  limit: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,3}$/, 'must be a whole number from 1 to 100'),
      v.transform(Number),
      v.minValue(1),
      v.maxValue(100),
    ),
    '20',
  ),
  cursor: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(512))),
});

/** POST /me/export: no body, or an empty JSON object. */
export const ExportRequest = v.strictObject({});

/** How long an export's download link works: short, since whoever holds it reads everything. */
export const EXPORT_LINK_SECONDS = 15 * 60;

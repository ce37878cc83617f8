/**
 * What every function's bundle carries instead of @smithy/core/event-streams (template.yaml:
 * BuildProperties `Alias`). Event streams serve only operations whose input or output is a
 * stream of events (S3's SelectObjectContent, say), and no function calls one: a test reads
 * the schema of every command in every bundle. Yet the S3 client imports them whatever it
 * calls, and every client's protocol can load them, about 19 KiB of each bundle. These are
 * the names the SDK takes from that module, and an operation that needs it fails at once,
 * saying why.
 */

const unavailable = (): never => {
  throw new Error(
    'This operation streams events, and event streams are left out of this bundle ' +
      '(template.yaml, BuildProperties Alias).',
  );
};

/** The marshaller a client is configured with: it exists, and fails only when used. */
export const eventStreamSerdeProvider = (_options: unknown) => ({
  serialize: unavailable,
  deserialize: unavailable,
});

/** As the SDK's: the client's marshaller comes from its (possibly overridden) provider. */
export const resolveEventStreamSerdeConfig = <
  T extends { eventStreamSerdeProvider: (config: T) => unknown },
>(
  config: T,
) => Object.assign(config, { eventStreamMarshaller: config.eventStreamSerdeProvider(config) });

/** What a protocol loads on the first event-stream operation it meets. */
export class EventStreamSerde {
  constructor(_options: unknown) {
    unavailable();
  }
}

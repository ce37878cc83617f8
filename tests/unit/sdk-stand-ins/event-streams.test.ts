import {
  EventStreamSerde,
  eventStreamSerdeProvider,
  resolveEventStreamSerdeConfig,
} from '../../../src/sdk-stand-ins/event-streams';

/**
 * The stand-in every bundle carries for @smithy/core/event-streams (template.yaml,
 * BuildProperties Alias): a client can be configured with it, and only an operation that
 * streams events fails, at once and saying why. tests/build/sdk-stand-ins.test.ts runs such
 * an operation in a bundle.
 */

const WHY =
  /^This operation streams events, and event streams are left out of this bundle \(template\.yaml, BuildProperties Alias\)\.$/;

describe('the event-stream stand-in', () => {
  it('gives a client a marshaller that fails only when used', () => {
    const marshaller = eventStreamSerdeProvider({});
    expect(() => marshaller.serialize()).toThrow(WHY);
    expect(() => marshaller.deserialize()).toThrow(WHY);
  });

  it("configures a client with its own (possibly overridden) provider's marshaller", () => {
    const own = { serialize: () => 'own' };
    const config = { region: 'us-east-1', eventStreamSerdeProvider: () => own };
    const resolved = resolveEventStreamSerdeConfig(config);
    expect(resolved).toBe(config);
    expect(resolved.eventStreamMarshaller).toBe(own);
  });

  it('fails at once where a protocol meets an operation that streams events', () => {
    expect(() => new EventStreamSerde({})).toThrow(WHY);
  });
});

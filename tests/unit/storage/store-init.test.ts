/**
 * The storage modules read their bucket (and the cursor key) when imported, so a function with
 * a missing or malformed variable fails at init, naming it, instead of at its first request.
 */
describe.each([
  ['../../../src/storage/store', 'USER_DATA_BUCKET'],
  ['../../../src/storage/store', 'CURSOR_SIGNING_KEY'],
  ['../../../src/storage/exports', 'USER_DATA_BUCKET'],
  ['../../../src/storage/eraser', 'USER_DATA_BUCKET'],
])('%s without %s', (module, variable) => {
  it('fails when imported, naming the variable', () => {
    const saved = process.env[variable];
    delete process.env[variable];
    try {
      jest.isolateModules(() => {
        expect(() => require(module)).toThrow(`Invalid function environment: check ${variable}`);
      });
    } finally {
      process.env[variable] = saved;
    }
  });
});

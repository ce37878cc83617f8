import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Metafile } from 'esbuild';
import { describeBundle } from '../../../bench/bundles';

/** What the bench reads from a bundle's metafile: its SDK client and where its bytes are from. */

describe('describeBundle', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'describe-bundle-'));
  const file = path.join(dir, 'fn.mjs');
  writeFileSync(file, 'export const handler = () => 1;');
  const described = (inputs: Record<string, number>) =>
    describeBundle(
      'fn',
      'handler',
      [{ file, bytes: 32, atInit: true }],
      {
        inputs: {},
        outputs: {
          'fn.mjs': {
            bytes: 32,
            imports: [],
            exports: ['handler'],
            inputs: Object.fromEntries(
              Object.entries(inputs).map(([input, bytesInOutput]) => [input, { bytesInOutput }]),
            ),
          },
        },
      } as Metafile,
      dir,
    );

  it("counts the S3 client's copy with literal keys as the S3 client and as the SDK", () => {
    const bundle = described({
      'node_modules/.literal-keys/@aws-sdk/client-s3/dist-es/S3Client.js': 100,
      'node_modules/@smithy/core/dist-es/index.js': 50,
      'src/handlers/me/create-log.ts': 7,
    });
    expect(bundle.client).toBe('s3');
    expect(bundle.composition).toEqual({ 'aws-sdk': 150, src: 7 });
  });

  it('tells the clients apart, and both together', () => {
    expect(
      described({ 'node_modules/@aws-sdk/client-cognito-identity-provider/dist-es/a.js': 1 })
        .client,
    ).toBe('cognito');
    expect(
      described({
        'node_modules/@aws-sdk/client-cognito-identity-provider/dist-es/a.js': 1,
        'node_modules/@aws-sdk/client-s3/dist-es/a.js': 1,
      }).client,
    ).toBe('cognito+s3');
    expect(described({ 'src/handlers/public/get-public.ts': 1 }).client).toBeUndefined();
  });
});

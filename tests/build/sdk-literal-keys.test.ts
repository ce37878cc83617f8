import { execFile } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../sam/template';

/**
 * scripts/sdk-literal-keys.mjs, npm's postinstall: the copy of the S3 client with literal
 * keys that template.yaml's Alias bundles. tests/build/sdk-stand-ins.test.ts holds that the
 * bundles then carry only the schemas of the operations they call.
 */

const run = promisify(execFile);
const SCRIPT = path.join(PROJECT_ROOT, 'scripts', 'sdk-literal-keys.mjs');
const CLIENT = path.join('node_modules', '@aws-sdk', 'client-s3');
const COPY = path.join('node_modules', '.literal-keys', '@aws-sdk', 'client-s3');
const SCHEMAS = path.join('dist-es', 'schemas', 'schemas_0.js');

/** A project whose installed S3 client has `schemas` as its schema module. */
function projectWith(schemas: string): string {
  const root = mkdtempSync(path.join(tmpdir(), 'literal-keys-'));
  mkdirSync(path.join(root, CLIENT, 'dist-es', 'schemas'), { recursive: true });
  writeFileSync(
    path.join(root, CLIENT, 'package.json'),
    '{"name":"@aws-sdk/client-s3","version":"3.0.0"}',
  );
  writeFileSync(path.join(root, CLIENT, SCHEMAS), schemas);
  return root;
}
const copied = (root: string) => readFileSync(path.join(root, COPY, SCHEMAS), 'utf8');

describe('scripts/sdk-literal-keys.mjs', () => {
  it('writes each computed key that names a string constant as that string, in a copy', async () => {
    const schemas = [
      'const _hH = "httpHeader";',
      'const _xa = "x-amz-acl";',
      'export var A$ = [3, n0, "A", 0, [_xa], [[0, { [_hH]: _xa }], [0, {',
      '  [_hH]: _hH }]]];',
    ].join('\n');
    const root = projectWith(schemas);
    const { stdout } = await run(process.execPath, [SCRIPT, root]);
    expect(copied(root)).toBe(
      [
        'const _hH = "httpHeader";',
        'const _xa = "x-amz-acl";',
        'export var A$ = [3, n0, "A", 0, [_xa], [[0, { "httpHeader": _xa }], [0, {',
        '  "httpHeader": _hH }]]];',
      ].join('\n'),
    );
    expect(stdout).toBe(`sdk-literal-keys: ${COPY} (2 literal keys)\n`);
    // The installed client stays as published.
    expect(readFileSync(path.join(root, CLIENT, SCHEMAS), 'utf8')).toBe(schemas);
  });

  it('leaves alone what is not such a key: "__proto__", other names, a conditional', async () => {
    const schemas = [
      'const _p = "__proto__";',
      'const _e = "error";',
      'let n = 1;',
      'export var B$ = [{ [_p]: 1 }, { [n]: 2 }, c ? [_e]: [_e], { [_e]: 3 }];',
    ].join('\n');
    const root = projectWith(schemas);
    await run(process.execPath, [SCRIPT, root]);
    expect(copied(root)).toBe(schemas.replace('{ [_e]: 3 }', '{ "error": 3 }'));
  });

  it('says so, and copies the module unchanged, when no key can be written', async () => {
    const schemas = 'export var C$ = [{ a: 1 }];';
    const root = projectWith(schemas);
    const { stderr } = await run(process.execPath, [SCRIPT, root]);
    expect(stderr).toMatch(/has no computed key naming a string constant any more/);
    expect(copied(root)).toBe(schemas);
  });

  it('fails, naming the client, when it is not installed', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'literal-keys-'));
    await expect(run(process.execPath, [SCRIPT, root])).rejects.toMatchObject({
      stderr: expect.stringContaining('@aws-sdk/client-s3 is not installed'),
    });
  });

  // Through a link to this project's client (as npm link and pnpm install): the copy must be
  // files of its own, never the linked client rewritten.
  it("made this project's copy from the installed client, as it would now", async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'literal-keys-'));
    mkdirSync(path.join(root, 'node_modules', '@aws-sdk'), { recursive: true });
    symlinkSync(path.join(PROJECT_ROOT, CLIENT), path.join(root, CLIENT), 'dir');
    const installed = readFileSync(path.join(PROJECT_ROOT, CLIENT, SCHEMAS), 'utf8');
    await run(process.execPath, [SCRIPT, root]);
    expect(readFileSync(path.join(PROJECT_ROOT, CLIENT, SCHEMAS), 'utf8')).toBe(installed);
    expect(installed).toMatch(/\{ \[_\w+\]: /);
    expect(readFileSync(path.join(PROJECT_ROOT, COPY, SCHEMAS), 'utf8')).toBe(copied(root));
    expect(readFileSync(path.join(PROJECT_ROOT, COPY, 'package.json'), 'utf8')).toBe(
      readFileSync(path.join(PROJECT_ROOT, CLIENT, 'package.json'), 'utf8'),
    );
  });

  // What `sam build` does before it bundles: aws-lambda-builders copies the code without
  // node_modules and installs the production dependencies there with this command
  // (workflows/nodejs_npm/actions.py, NodejsNpmInstallAction), which runs the postinstall.
  it("is run by sam build's install of the production dependencies", async () => {
    const scratch = mkdtempSync(path.join(tmpdir(), 'sam-build-scratch-'));
    for (const file of ['package.json', 'package-lock.json']) {
      copyFileSync(path.join(PROJECT_ROOT, file), path.join(scratch, file));
    }
    mkdirSync(path.join(scratch, 'scripts'));
    copyFileSync(SCRIPT, path.join(scratch, 'scripts', 'sdk-literal-keys.mjs'));
    await run('npm', ['install', '-q', '--no-audit', '--no-save', '--unsafe-perm', '--omit=dev'], {
      cwd: scratch,
      timeout: 120_000,
    });
    expect(existsSync(path.join(scratch, COPY, SCHEMAS))).toBe(true);
    expect(copied(scratch)).toBe(readFileSync(path.join(PROJECT_ROOT, COPY, SCHEMAS), 'utf8'));
  }, 150_000);
});

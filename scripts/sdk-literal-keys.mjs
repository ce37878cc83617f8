// @ts-check
/**
 * npm runs this after every `npm install` and `npm ci` of the project (package.json,
 * postinstall), and so does `sam build`: aws-lambda-builders installs the production
 * dependencies into its copy of the code with `npm install --omit=dev`, which runs it there
 * before esbuild bundles. It writes a copy of the installed S3 client whose schema module has
 * literal keys, into node_modules/.literal-keys/; template.yaml's `Alias` bundles that copy in
 * place of the client.
 *
 * Why: the S3 client keeps the schema of every S3 operation in one module, each a top-level
 * `export var X$ = [...]`, and many hold an object with a computed key, `{ [_hH]: _IM }`, where
 * `_hH` is one of the module's string constants ("httpHeader"). esbuild cannot prove that
 * computing such a key has no side effect, so it keeps all those statements: every function
 * with an S3 client carried the schemas of about a hundred operations it never calls, and
 * compiled them at each cold start (README, Performance). With the string written in place of
 * the computed key each object is a plain literal, and esbuild leaves out what nothing uses.
 * The objects are the same: `{ [_hH]: x }` and `{ "httpHeader": x }` have the same own
 * property. A constant "__proto__" stays computed, because a literal `__proto__:` would set
 * the prototype instead.
 *
 * Usage: node scripts/sdk-literal-keys.mjs [project root]   (default: this file's project)
 */
import { cpSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The clients copied: only S3's schemas hold computed keys in statements a function drops. */
const CLIENTS = ['@aws-sdk/client-s3'];
/** What esbuild reads with the template's MainFields (module first). */
const SCHEMA_MODULE = path.join('dist-es', 'schemas', 'schemas_0.js');
const COPIES = path.join('node_modules', '.literal-keys');

/**
 * The module's text with each computed object key that names one of its string constants
 * written as that string, and how many it wrote.
 * @param {string} source
 * @returns {{ text: string, replaced: number }}
 */
function withLiteralKeys(source) {
  /** @type {Map<string, string>} */
  const constants = new Map();
  for (const [, name, value] of source.matchAll(/^const (\w+) = ("(?:[^"\\\n]|\\.)*");$/gm)) {
    if (name && value && value !== '"__proto__"') constants.set(name, value);
  }
  let replaced = 0;
  // A computed key of an object literal follows its `{` or a `,` (a conditional's `? [a] :`
  // and an array's elements never do).
  const text = source.replace(/([{,]\s*)\[(\w+)\]:/g, (computed, before, name) => {
    const value = constants.get(name);
    if (value === undefined) return computed;
    replaced += 1;
    return `${before}${value}:`;
  });
  return { text, replaced };
}

/**
 * Writes node_modules/.literal-keys/<client> for every client in CLIENTS, anew.
 * @param {string} root the project: the folder with node_modules
 */
function writeCopies(root) {
  for (const client of CLIENTS) {
    const installed = path.join(root, 'node_modules', client);
    if (!statSync(installed, { throwIfNoEntry: false })?.isDirectory()) {
      throw new Error(`${client} is not installed in ${root}: nothing to copy`);
    }
    const copy = path.join(root, COPIES, client);
    rmSync(copy, { recursive: true, force: true });
    // Files, never links: with an installed client that is a link (npm link, pnpm), writing
    // through one would change the installed client itself.
    cpSync(installed, copy, { recursive: true, dereference: true });
    const schemas = path.join(copy, SCHEMA_MODULE);
    const { text, replaced } = withLiteralKeys(readFileSync(schemas, 'utf8'));
    writeFileSync(schemas, text);
    const where = path.relative(root, copy);
    if (replaced === 0) {
      // The copy still works; tests/build/sdk-stand-ins.test.ts fails on the bigger bundles.
      process.stderr.write(
        `sdk-literal-keys: ${client}'s ${SCHEMA_MODULE} has no computed key naming a string constant any more: ${where} is an unchanged copy\n`,
      );
    } else {
      process.stdout.write(`sdk-literal-keys: ${where} (${replaced} literal keys)\n`);
    }
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeCopies(
    path.resolve(process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..')),
  );
}

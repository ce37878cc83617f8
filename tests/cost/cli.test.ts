import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../sam/template';

/**
 * npm run cost as a user runs it: a process of its own (tsx, as the npm script), its report,
 * its chart, and its answers to bad input.
 */

const TSX = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');
const SCRIPT = path.join(PROJECT_ROOT, 'scripts', 'cost.ts');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'cost-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cost(...args: string[]) {
  const result = spawnSync(TSX, [SCRIPT, ...args], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

// Fixed bench figures, so that the output does not depend on a local bench/results.json.
function noResults(): string[] {
  return ['--results', path.join(dir, 'no-results.json')];
}

test('the report: every line, the total, the binding quota, and a chart of the three plans', () => {
  const chart = path.join(dir, 'chart.svg');
  const run = cost(
    '--mau',
    '100000',
    '--requests',
    '10000000',
    '--api-key',
    '--chart',
    chart,
    ...noResults(),
  );
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  for (const line of [
    /^Cognito +Lite plan, MAU +\$495\.00 +90,000 MAU × \$0\.0055; 10,000 MAU free \(always free\)$/m,
    /^API Gateway +REST API requests +\$35\.00 /m,
    /^API Gateway +API keys and usage plan +\$0\.00 +no charge of their own/m,
    /^Lambda +requests \(arm64\) +\$1\.80 /m,
    /^Lambda +duration \(arm64\) /m,
    /^S3 +requests /m,
    /^S3 +storage \(Standard\) /m,
    /^CloudWatch Logs +ingestion \(Lambda logs\) /m,
    /^CloudWatch Logs +storage /m,
    /^Total +\$[\d,]+\.\d\d$/m,
    /^Cognito at 100,000 MAU by feature plan: Lite \$495\.00, Essentials \$1,350\.00, Plus \$2,000\.00/m,
    /^UserAuthentication binds first, at \d+× this load; raising it costs \$20\.00 per RPS-month/m,
    /^Durations and log bytes: no bench results: defaults of cost\/request-mix\.json/m,
  ]) {
    expect(run.stdout).toMatch(line);
  }
  const svg = readFileSync(chart, 'utf8');
  expect(svg.startsWith('<svg')).toBe(true);
  for (const plan of ['Lite', 'Essentials', 'Plus']) expect(svg).toContain(`>${plan}<`);
});

test('--json gives the same estimate as data, and --no-chart writes none', () => {
  const chart = path.join(dir, 'unwanted.svg');
  const run = cost(
    '--mau',
    '20000',
    '--requests',
    '1500000',
    '--plan',
    'plus',
    '--free-tier',
    'none',
    '--json',
    '--no-chart',
    '--chart',
    chart,
    ...noResults(),
  );
  expect(run.status).toBe(0);
  const parsed = JSON.parse(run.stdout) as {
    load: { plan: string; freeTier: string };
    lines: { service: string; cost: number }[];
    total: number;
    chart: string | null;
  };
  expect(parsed.load).toMatchObject({ plan: 'plus', freeTier: 'none' });
  // Plus: 20,000 MAU × $0.02 = $400.00 (no free tier)
  expect(parsed.lines.find((line) => line.service === 'Cognito')?.cost).toBeCloseTo(400, 9);
  expect(parsed.total).toBeCloseTo(
    parsed.lines.reduce((sum, line) => sum + line.cost, 0),
    9,
  );
  expect(parsed.chart).toBeNull();
  expect(existsSync(chart)).toBe(false);
});

test.each([
  [
    ['--mau', 'lots', '--requests', '10'],
    /--mau must be a whole number from 0 to [\d,]+ \(got 'lots'\)/,
  ],
  [['--mau=-5', '--requests', '10'], /--mau must be a whole number from 0 /],
  [['--mau', '1.5', '--requests', '10'], /--mau must be a whole number from 0 /],
  [['--requests', '10'], /--mau is required/],
  [
    ['--mau', '10', '--requests', '10', '--plan', 'gold'],
    /--plan must be one of lite, essentials, plus/,
  ],
  [
    ['--mau', '10', '--requests', '10', '--free-tier', 'maybe'],
    /--free-tier must be one of always, all, none/,
  ],
  [
    ['--mau', '10', '--requests', '10', '--cold-starts', '101'],
    /--cold-starts must be a number from 0 to 100 /,
  ],
  [
    ['--mau', '10', '--requests', '10', '--active-hours', '0'],
    /--active-hours must be a number above 0, at most 24 /,
  ],
  [['--mau', '10', '--requests', '10', '--bogus'], /Unknown option '--bogus'/],
])('bad input %j: a clear message, the usage, exit 2, no stack', (args, message) => {
  const run = cost(...args);
  expect(run.status).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr).toMatch(message);
  expect(run.stderr).toContain('Usage: npm run cost');
  expect(run.stderr).not.toMatch(/^\s+at /m);
});

test('a broken data file: exit 1 and the field that is wrong', () => {
  const mix = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'cost', 'request-mix.json'), 'utf8'));
  mix.routes[0].cognito = 'SignUp';
  const file = path.join(dir, 'mix.json');
  writeFileSync(file, JSON.stringify(mix));
  const run = cost('--mau', '10', '--requests', '10', '--no-chart', '--mix', file);
  expect(run.status).toBe(1);
  expect(run.stderr).toMatch(/mix\.json: routes\.0\.cognito: /);
  expect(run.stderr).not.toMatch(/^\s+at /m);
});

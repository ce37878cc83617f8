import type { BenchResults } from './results';

/** The console report: one table per part, then each goal with met / not met. */

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)}`;
const ms = (value: number | undefined) =>
  value === undefined || Number.isNaN(value) ? '–' : value.toFixed(1);

function table(headers: string[], rows: string[][], rightAligned: Set<number>): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    `| ${cells
      .map((cell, column) =>
        rightAligned.has(column)
          ? cell.padStart(widths[column] ?? 0)
          : cell.padEnd(widths[column] ?? 0),
      )
      .join(' | ')} |`;
  const rule = `| ${widths
    .map((width, column) =>
      rightAligned.has(column) ? `${'-'.repeat(width - 1)}:` : '-'.repeat(width),
    )
    .join(' | ')} |`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

export function formatReport(results: BenchResults): string {
  const { machine, settings } = results;
  const out: string[] = [];
  out.push(
    `Machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.totalMemoryGiB} GiB, node ${machine.node} (${machine.platform}/${machine.arch}), load average ${machine.loadAverage.join(' ')} at start and ${machine.loadAverageAtEnd.join(' ')} at the end, nice ${machine.priority}`,
  );
  out.push(
    `Cold start: median and p90 of ${settings.runs} fresh processes per row (import + first event against the local stack); cold CPU: the same in the process's CPU time, which other load on the machine disturbs far less; × floor: cold p50 ÷ the floor's; warm: the next ${settings.warmPerRun} events of each process.`,
  );
  out.push('');
  out.push(
    table(
      [
        'bundle',
        'client',
        'KiB',
        'gzip KiB',
        'on demand KiB',
        'map KiB',
        '× minimal',
        'cold p50',
        'cold p90',
        'cold CPU p50',
        '× floor',
        'init p50',
        'warm p50',
        'warm p99',
      ],
      results.bundles.map((row) => [
        row.group === 'function' ? row.name : `${row.name} (${row.group})`,
        row.client ?? '–',
        kib(row.bytes),
        kib(row.gzipBytes),
        kib(row.onDemandBytes),
        kib(row.mapBytes),
        row.ratioToMinimal === undefined ? '–' : row.ratioToMinimal.toFixed(2),
        ms(row.cold.p50),
        ms(row.cold.p90),
        ms(row.coldCpu.p50),
        row.coldVsFloor.toFixed(2),
        ms(row.init.p50),
        ms(row.warm.p50),
        ms(row.warm.p99),
      ]),
      new Set([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]),
    ),
  );
  out.push('(times in ms)');
  out.push('');
  const g = results.gateway;
  out.push(
    table(
      ['local gateway', 'p50 ms', 'p99 ms', 'note'],
      [
        [
          'GET /me through the gateway',
          ms(g.viaGateway.p50),
          ms(g.viaGateway.p99),
          `${g.viaGateway.n} sequential requests, one keep-alive connection`,
        ],
        [
          'GET /me handler invoked directly',
          ms(g.direct.p50),
          ms(g.direct.p99),
          'same bundle, warm, in its own process',
        ],
        [
          'overhead of the gateway',
          ms(g.overheadP50Ms),
          ms(g.overheadP99Ms),
          'through the gateway − direct',
        ],
        [
          'plain HTTP on loopback',
          ms(g.httpFloor.p50),
          ms(g.httpFloor.p99),
          'a node server answering at once, same client (part of the overhead)',
        ],
        [
          'GET /protected invoked directly',
          ms(g.sessionCheck.checked.p50),
          ms(g.sessionCheck.checked.p99),
          'warm; checks the session: one strongly consistent GetItem (local DynamoDB)',
        ],
        [
          'GET /public invoked directly',
          ms(g.sessionCheck.unchecked.p50),
          ms(g.sessionCheck.unchecked.p99),
          'warm; no token, no check',
        ],
        [
          'added by the session check',
          ms(g.sessionCheck.checked.p50 - g.sessionCheck.unchecked.p50),
          ms(g.sessionCheck.checked.p99 - g.sessionCheck.unchecked.p99),
          'GET /protected − GET /public',
        ],
      ],
      new Set([1, 2]),
    ),
  );
  out.push('');
  out.push(
    table(
      [
        'load (autocannon)',
        'connections',
        'seconds',
        'req/s',
        'p50 ms',
        'p99 ms',
        'non-2xx',
        'errors',
      ],
      g.load.map((row) => [
        row.route,
        String(row.connections),
        String(row.durationSeconds),
        row.rps.toFixed(0),
        String(row.latencyP50Ms),
        String(row.latencyP99Ms),
        String(row.non2xx),
        String(row.errors + row.timeouts),
      ]),
      new Set([1, 2, 3, 4, 5, 6, 7]),
    ),
  );
  out.push('');
  out.push(
    table(
      [
        'local throttle',
        'configured rps',
        'offered rps',
        'seconds',
        'admitted',
        'throttled',
        '× configured',
      ],
      results.throttles.map((row) => [
        row.name,
        String(row.configuredRate),
        String(row.offeredRate),
        String(row.seconds),
        String(row.admitted),
        String(row.throttled),
        row.ratio.toFixed(3),
      ]),
      new Set([1, 2, 3, 4, 5, 6]),
    ),
  );
  out.push('');
  out.push(
    `ID-token verification: aws-jwt-verify verifySync (as the gateway calls it) ${g.verify.awsJwtVerifyPerSecond.toLocaleString('en-US')}/s; raw node:crypto RS256 verify ${g.verify.rawRs256PerSecond.toLocaleString('en-US')}/s (${g.verify.ratio.toFixed(2)}×)`,
  );
  out.push('');
  out.push('Goals:');
  for (const goal of results.goals) {
    out.push(`  ${goal.met ? 'met    ' : 'NOT MET'}  ${goal.goal}: ${goal.measured}`);
  }
  return out.join('\n');
}

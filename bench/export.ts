import { mapWithConcurrency } from '../src/concurrency';
import type { Fixtures } from './scenarios';
import { type Summary, summarize } from './stats';

/**
 * POST /me/export of a user with many log entries, through the local gateway: what the export
 * function does against S3 (a listing, one GetObject per entry, 16 at a time, and the PUT of
 * the document). The first export of the run is a cold start of the function; all count.
 */
export interface ExportFigures {
  entries: number;
  runs: number;
  documentBytes: number;
  ms: Summary;
}

export async function measureExport(options: {
  apiUrl: string;
  fixtures: Fixtures;
  entries: number;
  runs: number;
}): Promise<ExportFigures> {
  const { apiUrl, entries, runs } = options;
  const user = await options.fixtures.otherUser('export');
  const call = async (route: string, body?: unknown) => {
    const response = await fetch(`${apiUrl}${route}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${user.idToken}` },
      body: JSON.stringify(body ?? {}),
      signal: AbortSignal.timeout(60_000),
    });
    if (!response.ok) throw new Error(`${route} answered ${response.status}`);
    return (await response.json()) as Record<string, unknown>;
  };
  // Entries of a few hundred bytes, like a shell history line with some context.
  await mapWithConcurrency(
    Array.from({ length: entries }, (_, n) => n),
    8,
    (n) =>
      call('/me/logs', { content: { n, command: `ls -la ~/projects/${n}`, cwd: '/home/ada' } }),
  );
  const times: number[] = [];
  let documentBytes = 0;
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const { url } = await call('/me/export');
    times.push(performance.now() - started);
    const document = await (await fetch(String(url))).text();
    documentBytes = Buffer.byteLength(document);
    const exported = (JSON.parse(document) as { logs: unknown[] }).logs.length;
    if (exported !== entries) throw new Error(`The export held ${exported} of ${entries} entries`);
  }
  return { entries, runs, documentBytes, ms: summarize(times) };
}

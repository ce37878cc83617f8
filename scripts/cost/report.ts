import type { Prices } from './data';
import {
  type Estimate,
  formatCount,
  HOURS_PER_MONTH,
  type Load,
  money,
  PLANS,
  type QuotaUse,
} from './model';

/** The console report of npm run cost: the bill line by line, then what binds first. */

function pad(cells: string[][], rightAligned: Set<number>): string[] {
  const widths = cells[0]?.map((_, column) =>
    Math.max(...cells.map((row) => (row[column] ?? '').length)),
  );
  return cells.map((row) =>
    row
      .map((cell, column) =>
        rightAligned.has(column)
          ? cell.padStart(widths?.[column] ?? 0)
          : cell.padEnd(widths?.[column] ?? 0),
      )
      .join('  ')
      .trimEnd(),
  );
}

const times = (value: number) => `${Number(value.toPrecision(2))}×`;
const rps = (value: number) => Number(value.toPrecision(3)).toLocaleString('en-US');

export function formatReport(
  load: Load,
  result: Estimate,
  prices: Prices,
  context: { measurements: string; freeTierLabel: string },
): string {
  const out: string[] = [];
  const plan = prices.cognito.plans[load.plan];
  out.push(
    `Monthly cost of the deployed stacks, ${prices.region}, ${prices.currency}, prices read ${prices.read} (cost/prices.json)`,
  );
  out.push(
    `Load: ${formatCount(load.mau)} MAU, ${formatCount(load.requests)} requests (${formatCount(load.requests / Math.max(load.mau, 1))} per MAU), ${plan.name} plan, ${load.dataPerUserMiB} MiB stored for each of ${formatCount(load.storedUsers)} users`,
  );
  out.push(`Free tiers: ${context.freeTierLabel}`);
  out.push(`Durations and log bytes: ${context.measurements}`);
  out.push('');

  const rows = result.lines.map((line) => [
    line.service,
    line.item,
    money(line.cost),
    line.free ? `${line.detail}; ${line.free}` : line.detail,
  ]);
  rows.push(['', '', '', '']);
  rows.push(['Total', '', money(result.total), '']);
  out.push(...pad(rows, new Set([2])));
  out.push('');

  out.push(
    `Cognito at ${formatCount(load.mau)} MAU by feature plan: ${PLANS.map((id) => `${prices.cognito.plans[id].name} ${money(result.cognitoByPlan[id])}`).join(', ')} (--plan to price the others)`,
  );
  const biggest = [...result.lines].sort((a, b) => b.cost - a.cost)[0];
  if (biggest && result.total > 0) {
    out.push(
      `Largest line: ${biggest.service} ${biggest.item}, ${Math.round((biggest.cost / result.total) * 100)}% of the total`,
    );
  }
  out.push('');

  out.push(
    `Peak request rates: each day's traffic within ${load.activeHours} h, peak ${load.peakToAverage}× the average over them (--active-hours, --peak-to-average; the sizing method of Cognito's quota docs), a ${HOURS_PER_MONTH}-hour month`,
  );
  const quotaRows = [['Cognito quota (default)', 'calls/month', 'peak rps', 'default rps', 'use']];
  for (const quota of result.quotas) {
    quotaRows.push([
      quota.category,
      formatCount(quota.monthlyCalls),
      rps(quota.peakRps),
      String(quota.defaultRps),
      `${Math.round(quota.utilization * 100)}%`,
    ]);
  }
  out.push(...pad(quotaRows, new Set([1, 2, 3, 4])));
  const first = result.quotas[0];
  if (first) out.push(bindingSentence(first, prices));
  out.push('');

  const throttleRows = [['template.yaml throttle', 'peak rps', 'limit rps', 'use']];
  for (const throttle of result.throttles) {
    throttleRows.push([
      throttle.limit,
      rps(throttle.peakRps),
      String(throttle.limitRps),
      `${Math.round(throttle.utilization * 100)}%`,
    ]);
  }
  out.push(...pad(throttleRows, new Set([1, 2, 3])));
  const tightest = result.throttles[0];
  if (tightest && tightest.utilization > 1) {
    out.push(
      `API Gateway answers 429 above ${tightest.limit}: raise the parameter when deploying (no charge of its own).`,
    );
  } else if (tightest && tightest.utilization > (first?.utilization ?? 0)) {
    out.push(
      `${tightest.limit} binds at ${times(1 / tightest.utilization)} this load, before any Cognito quota; raising it when deploying costs nothing of its own.`,
    );
  }
  out.push('');
  out.push(`Not included: ${prices.notIncluded.join('; ')}.`);
  return out.join('\n');
}

function bindingSentence(quota: QuotaUse, prices: Prices): string {
  const price = prices.cognito.provisionedCapacity;
  if (quota.utilization === 0) return 'No Cognito calls at this load.';
  if (quota.utilization <= 1) {
    const raise = quota.adjustable
      ? `raising it costs ${money(price.perRpsMonth)} per RPS-month (${money(price.perRpsPartialMonth)} for less than a full month)`
      : 'it cannot be raised (not adjustable)';
    return `${quota.category} binds first, at ${times(1 / quota.utilization)} this load; ${raise}.`;
  }
  if (!quota.adjustable) {
    return `${quota.category} is exceeded at this peak (${rps(quota.peakRps)} of ${quota.defaultRps} rps) and cannot be raised: spread the load or cut calls.`;
  }
  return `${quota.category} is exceeded at this peak: ${quota.extraRps} RPS above the default quota cost ${money(quota.extraCostPerMonth)} a month at ${money(price.perRpsMonth)} per RPS-month.`;
}

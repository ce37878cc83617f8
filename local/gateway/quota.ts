import type { QuotaPeriod } from '../plan';
import type { Clock } from './token-bucket';

/**
 * A usage plan's quota for one key: at most `limit` requests in each period. Periods follow the
 * UTC calendar: a DAY from midnight UTC, a WEEK from Monday midnight UTC, a MONTH from the 1st.
 * `offset` requests are taken off the limit in the period the plan starts in, as the usage
 * plan's Offset does. Counts live in memory: a restart of the local stack starts them again.
 */
export class Quota {
  private periodStart: number;
  private used = 0;
  private readonly firstPeriodStart: number;

  constructor(
    private readonly settings: { limit: number; period: QuotaPeriod; offset: number },
    private readonly clock: Clock,
  ) {
    this.firstPeriodStart = periodStart(settings.period, clock());
    this.periodStart = this.firstPeriodStart;
  }

  /** Whether the key has used up this period's requests. */
  exhausted(): boolean {
    this.roll();
    const limit =
      this.settings.limit - (this.periodStart === this.firstPeriodStart ? this.settings.offset : 0);
    return this.used >= limit;
  }

  /** Counts one request of this period. */
  count(): void {
    this.roll();
    this.used += 1;
  }

  private roll(): void {
    const start = periodStart(this.settings.period, this.clock());
    if (start !== this.periodStart) {
      this.periodStart = start;
      this.used = 0;
    }
  }
}

/** The start (epoch milliseconds) of the UTC period that `now` falls in. */
export function periodStart(period: QuotaPeriod, now: number): number {
  const date = new Date(now);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  const day = date.getUTCDate();
  switch (period) {
    case 'DAY':
      return Date.UTC(year, month, day);
    case 'WEEK': {
      const daysSinceMonday = (date.getUTCDay() + 6) % 7;
      return Date.UTC(year, month, day - daysSinceMonday);
    }
    case 'MONTH':
      return Date.UTC(year, month, 1);
  }
}

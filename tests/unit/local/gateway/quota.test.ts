import { periodStart, Quota } from '../../../../local/gateway/quota';

const at = (iso: string) => Date.parse(iso);

function clockAt(iso: string) {
  let now = at(iso);
  return { clock: () => now, set: (next: string) => (now = at(next)) };
}

function use(quota: Quota, attempts: number): number {
  let admitted = 0;
  for (let index = 0; index < attempts; index += 1) {
    if (!quota.exhausted()) {
      quota.count();
      admitted += 1;
    }
  }
  return admitted;
}

describe('periodStart', () => {
  it('starts a DAY at midnight UTC', () => {
    expect(periodStart('DAY', at('2026-11-29T23:59:59.999Z'))).toBe(at('2026-11-29T00:00:00Z'));
  });

  it('starts a WEEK on Monday at midnight UTC', () => {
    // 29 November 2026 is a Sunday: its week began on Monday the 23rd.
    expect(periodStart('WEEK', at('2026-11-29T12:00:00Z'))).toBe(at('2026-11-23T00:00:00Z'));
    expect(periodStart('WEEK', at('2026-11-30T00:00:00Z'))).toBe(at('2026-11-30T00:00:00Z'));
    expect(periodStart('WEEK', at('2026-01-01T08:00:00Z'))).toBe(at('2025-12-29T00:00:00Z'));
  });

  it('starts a MONTH on the 1st at midnight UTC', () => {
    expect(periodStart('MONTH', at('2026-02-28T10:00:00Z'))).toBe(at('2026-02-01T00:00:00Z'));
  });
});

describe('Quota', () => {
  it('admits `limit` requests a period, then none until the next one', () => {
    const time = clockAt('2026-11-29T10:00:00Z');
    const quota = new Quota({ limit: 3, period: 'DAY', offset: 0 }, time.clock);
    expect(use(quota, 5)).toBe(3);
    time.set('2026-11-29T23:59:59Z');
    expect(quota.exhausted()).toBe(true);
    time.set('2026-11-30T00:00:00Z');
    expect(use(quota, 5)).toBe(3);
  });

  it('counts a WEEK from Monday to Monday', () => {
    const time = clockAt('2026-11-23T00:00:00Z');
    const quota = new Quota({ limit: 1, period: 'WEEK', offset: 0 }, time.clock);
    expect(use(quota, 2)).toBe(1);
    time.set('2026-11-29T23:59:59Z');
    expect(use(quota, 1)).toBe(0);
    time.set('2026-11-30T00:00:01Z');
    expect(use(quota, 1)).toBe(1);
  });

  it('takes the offset off the first period only', () => {
    const time = clockAt('2026-11-15T00:00:00Z');
    const quota = new Quota({ limit: 5, period: 'MONTH', offset: 3 }, time.clock);
    expect(use(quota, 10)).toBe(2);
    time.set('2026-12-01T00:00:00Z');
    expect(use(quota, 10)).toBe(5);
  });
});

import { TokenBucket } from '../../../../local/gateway/token-bucket';

/** A clock the test moves by hand (milliseconds). */
function manualClock(start = 1_000_000) {
  let now = start;
  return {
    clock: () => now,
    advance: (ms: number) => (now += ms),
    set: (ms: number) => (now = ms),
  };
}

/** How many requests in a row the bucket admits now, taking a token for each. */
function admitted(bucket: TokenBucket, attempts: number): number {
  let count = 0;
  for (let index = 0; index < attempts; index += 1) {
    if (bucket.hasToken()) {
      bucket.take();
      count += 1;
    }
  }
  return count;
}

describe('TokenBucket', () => {
  it('starts full: a whole burst at once, then nothing', () => {
    const { clock } = manualClock();
    expect(admitted(new TokenBucket({ rateLimit: 10, burstLimit: 5 }, clock), 20)).toBe(5);
  });

  it('gains rateLimit tokens a second, one request per 1/rate seconds', () => {
    const time = manualClock();
    const bucket = new TokenBucket({ rateLimit: 4, burstLimit: 2 }, time.clock);
    admitted(bucket, 2);
    time.advance(249);
    expect(bucket.hasToken()).toBe(false);
    time.advance(1);
    expect(admitted(bucket, 5)).toBe(1);
    time.advance(1000);
    expect(admitted(bucket, 10)).toBe(2);
  });

  it('never holds more than the burst, however long it was idle', () => {
    const time = manualClock();
    const bucket = new TokenBucket({ rateLimit: 100, burstLimit: 3 }, time.clock);
    time.advance(60_000);
    expect(admitted(bucket, 10)).toBe(3);
  });

  it('refills at fractional rates', () => {
    const time = manualClock();
    const bucket = new TokenBucket({ rateLimit: 0.5, burstLimit: 1 }, time.clock);
    admitted(bucket, 1);
    time.advance(1999);
    expect(bucket.hasToken()).toBe(false);
    time.advance(1);
    expect(bucket.hasToken()).toBe(true);
  });

  it('admits the configured rate over a long run (sustained: rate × seconds + burst)', () => {
    const time = manualClock();
    const bucket = new TokenBucket({ rateLimit: 7, burstLimit: 3 }, time.clock);
    let count = 0;
    for (let ms = 0; ms < 10_000; ms += 5) {
      count += admitted(bucket, 1);
      time.advance(5);
    }
    // The burst, then 7 a second: the last request goes at 9.995 s, when ⌊9.995 × 7⌋ = 69
    // tokens have come in.
    expect(count).toBe(3 + 69);
  });

  it('takes nothing away when the clock is set back', () => {
    const time = manualClock();
    const bucket = new TokenBucket({ rateLimit: 1, burstLimit: 2 }, time.clock);
    admitted(bucket, 1);
    time.set(0);
    expect(admitted(bucket, 5)).toBe(1);
  });

  it('with a burst of 0 admits nothing', () => {
    const time = manualClock();
    const bucket = new TokenBucket({ rateLimit: 10, burstLimit: 0 }, time.clock);
    time.advance(10_000);
    expect(bucket.hasToken()).toBe(false);
  });
});

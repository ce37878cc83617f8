import { createHash } from 'node:crypto';
import { emailHash, securityEvent } from '../../src/security-events';

const loggedLines = () =>
  ((globalThis as { capturedOutput?: string[] }).capturedOutput ?? [])
    .filter((text) => text.includes('"securityEvent"'))
    .map((text) => JSON.parse(text) as Record<string, unknown>);

describe('securityEvent', () => {
  it('writes one JSON line with the event, its outcome and the subject', () => {
    securityEvent('sign-in', 'success', { sub: '0b6c1f55-7f6b-4c83-9a55-6d1d4f9b2b10' });
    expect(loggedLines().at(-1)).toMatchObject({
      message: 'security event',
      securityEvent: 'sign-in',
      outcome: 'success',
      sub: '0b6c1f55-7f6b-4c83-9a55-6d1d4f9b2b10',
    });
  });

  it('never writes the address itself, only a hash an operator can recompute', () => {
    securityEvent('sign-in', 'failure', { email: ' Ada@Example.com ' }, 'NotAuthorized');
    const line = loggedLines().at(-1) ?? {};
    expect(JSON.stringify(line)).not.toMatch(/example\.com/i);
    expect(line).toMatchObject({
      outcome: 'failure',
      reason: 'NotAuthorized',
      emailHash: createHash('sha256').update('ada@example.com').digest('hex').slice(0, 16),
    });
  });

  it('hashes an address the same whatever its case and surrounding spaces', () => {
    expect(emailHash('ADA@example.com ')).toBe(emailHash('ada@example.com'));
  });
});

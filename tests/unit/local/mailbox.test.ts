import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Mailbox, type MailboxMessage } from '../../../local/mailbox';

const HOUR = 3_600_000;

let file: string;
beforeEach(() => {
  file = path.join(mkdtempSync(path.join(tmpdir(), 'mailbox-')), 'mailbox.json');
});

/** Delivers a code and answers it with the time it was sent. */
function deliver(mailbox: Mailbox, email: string, kind: MailboxMessage['kind']) {
  const message = mailbox.deliver(email, kind);
  return { code: message.code, sentAt: Date.parse(message.at) };
}

describe('Mailbox', () => {
  it('keeps a sign-up code valid for 24 hours, then answers expired', () => {
    const mailbox = new Mailbox(file);
    const { code, sentAt } = deliver(mailbox, 'ada@example.com', 'signup');
    expect(code).toMatch(/^\d{6}$/);
    expect(mailbox.check('ada@example.com', 'confirm-signup', code, sentAt + 24 * HOUR)).toBe(
      'valid',
    );
    expect(mailbox.check('ada@example.com', 'confirm-signup', code, sentAt + 24 * HOUR + 1)).toBe(
      'expired',
    );
  });

  it('keeps a password-reset code valid for 1 hour, then answers expired', () => {
    const mailbox = new Mailbox(file);
    const { code, sentAt } = deliver(mailbox, 'ada@example.com', 'forgot-password');
    expect(mailbox.check('ada@example.com', 'reset-password', code, sentAt + HOUR)).toBe('valid');
    expect(mailbox.check('ada@example.com', 'reset-password', code, sentAt + HOUR + 1)).toBe(
      'expired',
    );
  });

  it('keeps the code of a new email address valid for 24 hours, apart from sign-up codes', () => {
    const mailbox = new Mailbox(file);
    const { code, sentAt } = deliver(mailbox, 'ada@example.org', 'verify-email');
    expect(mailbox.check('ada@example.org', 'verify-email', code, sentAt + 24 * HOUR)).toBe(
      'valid',
    );
    expect(mailbox.check('ada@example.org', 'verify-email', code, sentAt + 24 * HOUR + 1)).toBe(
      'expired',
    );
    expect(mailbox.check('ada@example.org', 'confirm-signup', code, sentAt)).toBe('mismatch');
  });

  it('accepts only the newest code of a purpose: a resent code replaces the first', () => {
    const mailbox = new Mailbox(file);
    const first = deliver(mailbox, 'ada@example.com', 'signup');
    let resent = deliver(mailbox, 'ada@example.com', 'resend');
    // One in a million: the new random code equals the old one; send another.
    while (resent.code === first.code) resent = deliver(mailbox, 'ada@example.com', 'resend');
    expect(mailbox.check('ada@example.com', 'confirm-signup', first.code)).toBe('mismatch');
    expect(mailbox.check('ada@example.com', 'confirm-signup', resent.code)).toBe('valid');
  });

  it('keeps sign-up and reset codes apart', () => {
    const mailbox = new Mailbox(file);
    const signup = deliver(mailbox, 'ada@example.com', 'signup');
    let reset = deliver(mailbox, 'ada@example.com', 'forgot-password');
    while (reset.code === signup.code)
      reset = deliver(mailbox, 'ada@example.com', 'forgot-password');
    expect(mailbox.check('ada@example.com', 'confirm-signup', signup.code)).toBe('valid');
    expect(mailbox.check('ada@example.com', 'reset-password', reset.code)).toBe('valid');
    expect(mailbox.check('ada@example.com', 'reset-password', signup.code)).toBe('mismatch');
    expect(mailbox.check('ada@example.com', 'confirm-signup', reset.code)).toBe('mismatch');
  });

  it('accepts a code only until it is consumed', () => {
    const mailbox = new Mailbox(file);
    const { code } = deliver(mailbox, 'ada@example.com', 'signup');
    mailbox.consume('ada@example.com', 'confirm-signup');
    expect(mailbox.check('ada@example.com', 'confirm-signup', code)).toBe('mismatch');
  });

  it('answers mismatch for an address that never got a code', () => {
    expect(new Mailbox(file).check('nobody@example.com', 'confirm-signup', '123456')).toBe(
      'mismatch',
    );
  });

  it('matches addresses case-insensitively', () => {
    const mailbox = new Mailbox(file);
    const { code } = deliver(mailbox, 'Ada@Example.com', 'signup');
    expect(mailbox.check('ada@example.com', 'confirm-signup', code)).toBe('valid');
    expect(mailbox.messages('ADA@EXAMPLE.COM')).toHaveLength(1);
  });

  it('keeps every message, oldest first, across a restart, without the used mark', () => {
    const before = new Mailbox(file);
    const signup = deliver(before, 'ada@example.com', 'signup');
    before.consume('ada@example.com', 'confirm-signup');
    deliver(before, 'ada@example.com', 'forgot-password');
    const after = new Mailbox(file);
    const messages = after.messages('ada@example.com');
    expect(messages.map((message) => message.kind)).toEqual(['signup', 'forgot-password']);
    expect(Object.keys(messages[0] ?? {}).sort()).toEqual(['at', 'code', 'kind']);
    expect(after.check('ada@example.com', 'confirm-signup', signup.code)).toBe('mismatch');
  });

  it('tells its listeners of every delivery, with the lower-cased address', () => {
    const mailbox = new Mailbox(file);
    const heard: [string, MailboxMessage][] = [];
    mailbox.on('delivered', (email, message) => heard.push([email, message]));
    const message = mailbox.deliver('Ada@Example.com', 'signup');
    expect(heard).toEqual([['ada@example.com', message]]);
  });
});

import { randomInt } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { readJsonFile, writeJsonFile } from './json-file';

export type MessageKind = 'signup' | 'resend' | 'forgot-password' | 'verify-email';

export interface MailboxMessage {
  kind: MessageKind;
  code: string;
  at: string;
}

interface StoredMessage extends MailboxMessage {
  used?: boolean;
}

/**
 * What a code is for: the sign-up codes (first and resent) confirm the account; a code sent to
 * a new address confirms the change of email.
 */
export type CodePurpose = 'confirm-signup' | 'reset-password' | 'verify-email';

const PURPOSE: Record<MessageKind, CodePurpose> = {
  signup: 'confirm-signup',
  resend: 'confirm-signup',
  'forgot-password': 'reset-password',
  'verify-email': 'verify-email',
};

/** Cognito's lifetimes: sign-up and attribute verification codes 24 hours, reset codes 1 hour. */
const LIFETIME_MS: Record<CodePurpose, number> = {
  'confirm-signup': 24 * 3_600_000,
  'reset-password': 3_600_000,
  'verify-email': 24 * 3_600_000,
};

export type CodeCheck = 'valid' | 'mismatch' | 'expired';

/**
 * The local stand-in for the user's inbox: the codes Cognito would email, kept per address in
 * `<data>/mailbox.json` and readable at GET <ApiUrl>/_local/mailbox/<email>. Only the newest
 * code of a purpose is valid, once, until it expires, as with Cognito.
 */
export class Mailbox extends EventEmitter<{ delivered: [email: string, message: MailboxMessage] }> {
  private readonly boxes: Record<string, StoredMessage[]>;

  constructor(private readonly file: string) {
    super();
    this.boxes = readJsonFile<Record<string, StoredMessage[]>>(file, {});
  }

  deliver(email: string, kind: MessageKind): MailboxMessage {
    const message: StoredMessage = {
      kind,
      code: String(randomInt(0, 1_000_000)).padStart(6, '0'),
      at: new Date().toISOString(),
    };
    const key = email.toLowerCase();
    this.boxes[key] = [...(this.boxes[key] ?? []), message];
    this.save();
    const { used: _used, ...delivered } = message;
    this.emit('delivered', key, delivered);
    return delivered;
  }

  messages(email: string): MailboxMessage[] {
    return (this.boxes[email.toLowerCase()] ?? []).map(({ kind, code, at }) => ({
      kind,
      code,
      at,
    }));
  }

  check(email: string, purpose: CodePurpose, code: string, now = Date.now()): CodeCheck {
    const latest = this.latest(email, purpose);
    if (!latest || latest.used || latest.code !== code) return 'mismatch';
    return now - Date.parse(latest.at) > LIFETIME_MS[purpose] ? 'expired' : 'valid';
  }

  /** Marks the newest code of a purpose as used, after the operation it allowed succeeded. */
  consume(email: string, purpose: CodePurpose): void {
    const latest = this.latest(email, purpose);
    if (latest) {
      latest.used = true;
      this.save();
    }
  }

  private latest(email: string, purpose: CodePurpose): StoredMessage | undefined {
    return (this.boxes[email.toLowerCase()] ?? [])
      .filter((message) => PURPOSE[message.kind] === purpose)
      .at(-1);
  }

  private save(): void {
    writeJsonFile(this.file, this.boxes);
  }
}

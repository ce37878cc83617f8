import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../sam/template';

/**
 * The demo page's password fields (OWASP ASVS 6.2.6, 6.2.7): masked, and open to pasting and
 * to password managers, which the autocomplete hints help.
 */
const page = readFileSync(path.join(PROJECT_ROOT, 'web/index.html'), 'utf8');
const script = readFileSync(path.join(PROJECT_ROOT, 'web/app.ts'), 'utf8');
const passwordInputs = [...page.matchAll(/<input[^>]*name="\w*[pP]assword"[^>]*>/g)].map(
  ([input]) => input,
);

describe('the demo page', () => {
  it('has password fields', () => {
    expect(passwordInputs.length).toBeGreaterThanOrEqual(4);
  });

  it.each(passwordInputs)('masks %s and names it for password managers', (input) => {
    expect(input).toContain('type="password"');
    expect(input).toMatch(/autocomplete="(current|new)-password"/);
    expect(input).not.toMatch(/maxlength|pattern=|onpaste|oncopy/i);
  });

  it('never blocks pasting', () => {
    expect(`${page}\n${script}`).not.toMatch(/paste/i);
  });
});

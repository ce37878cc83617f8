import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../sam/template';

/**
 * SECURITY.md's OWASP ASVS 5.0 table: one row for every Level 1 requirement and the Level 2 ones
 * this API answers for, each met (naming a test), not applicable or a deviation (saying why),
 * and every test it names exists.
 */
const LEVEL_1 = [
  '1.2.1',
  '1.2.2',
  '1.2.3',
  '1.2.4',
  '1.2.5',
  '1.3.1',
  '1.3.2',
  '1.5.1',
  '2.1.1',
  '2.2.1',
  '2.2.2',
  '2.3.1',
  '3.2.1',
  '3.2.2',
  '3.3.1',
  '3.4.1',
  '3.4.2',
  '3.5.1',
  '3.5.2',
  '3.5.3',
  '4.1.1',
  '4.4.1',
  '5.2.1',
  '5.2.2',
  '5.3.1',
  '5.3.2',
  '6.1.1',
  '6.2.1',
  '6.2.2',
  '6.2.3',
  '6.2.4',
  '6.2.5',
  '6.2.6',
  '6.2.7',
  '6.2.8',
  '6.3.1',
  '6.3.2',
  '6.4.1',
  '6.4.2',
  '7.2.1',
  '7.2.2',
  '7.2.3',
  '7.2.4',
  '7.4.1',
  '7.4.2',
  '8.1.1',
  '8.2.1',
  '8.2.2',
  '8.3.1',
  '9.1.1',
  '9.1.2',
  '9.1.3',
  '9.2.1',
  '10.4.1',
  '10.4.2',
  '10.4.3',
  '10.4.4',
  '10.4.5',
  '11.3.1',
  '11.3.2',
  '11.4.1',
  '12.1.1',
  '12.2.1',
  '12.2.2',
  '13.4.1',
  '14.2.1',
  '14.3.1',
  '15.1.1',
  '15.2.1',
  '15.3.1',
];
const LEVEL_2_ANSWERED = [
  '6.2.9',
  '7.4.3',
  '7.5.1',
  '9.2.2',
  '16.3.1',
  '16.3.2',
  '16.3.3',
  '16.3.4',
];

const security = readFileSync(path.join(PROJECT_ROOT, 'SECURITY.md'), 'utf8');
const section = security.slice(security.indexOf('## OWASP ASVS 5.0'));
const rows = section
  .split('\n')
  .filter((line) => /^\| \d/.test(line))
  .map((line) => {
    const [requirement = '', status = '', why = '', shownBy = ''] = line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim());
    return {
      requirement,
      status,
      why,
      tests: [...shownBy.matchAll(/`([^`]+)`/g)].map((m) => m[1]),
    };
  });

/** "10.4.1–10.4.3" and "11.3.1, 11.3.2" each cover several requirements. */
function covered(requirement: string): string[] {
  const range = requirement.match(/^(\d+\.\d+\.)(\d+)–\d+\.\d+\.(\d+)$/);
  if (range) {
    const [, prefix = '', from = '0', to = '0'] = range;
    return Array.from(
      { length: Number(to) - Number(from) + 1 },
      (_, i) => `${prefix}${Number(from) + i}`,
    );
  }
  return requirement.split(',').map((part) => part.trim());
}

describe("SECURITY.md's ASVS table", () => {
  it('has a row for every Level 1 requirement and the Level 2 ones it answers for', () => {
    const listed = rows.flatMap((row) => covered(row.requirement)).sort();
    expect(listed).toEqual([...LEVEL_1, ...LEVEL_2_ANSWERED].sort());
  });

  it.each(rows.map((row) => [row.requirement, row] as const))(
    '%s says met, n/a or deviation, and why',
    (_id, row) => {
      expect(['met', 'n/a', 'deviation']).toContain(row.status);
      expect(row.why.length).toBeGreaterThan(10);
      if (row.status === 'met')
        expect(row.tests.length + (row.why.includes('](#') ? 1 : 0)).toBeGreaterThan(0);
      if (row.status === 'deviation') expect(row.why).toMatch(/Compensates|compensates|;/);
    },
  );

  it('names only tests that exist', () => {
    const named = [...new Set(rows.flatMap((row) => row.tests))];
    expect(named.length).toBeGreaterThan(20);
    expect(named.filter((file) => !existsSync(path.join(PROJECT_ROOT, file ?? '')))).toEqual([]);
  });
});

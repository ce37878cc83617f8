import { describeWithTool } from '.';

// Run by required-tools.test.ts only: a test whose tool is never there.
describeWithTool(
  { what: 'the frobnicator', install: 'apt-get install frobnicator', present: () => false },
  'something that needs the frobnicator',
  () => {
    it('would run', () => {
      expect(true).toBe(true);
    });
  },
);

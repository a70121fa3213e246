import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { capabilityTable, parameterTable, replaceSection } from '../src/providers/tables.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it("GIVEN the adapters' declarations THEN the provider tables in the README match them", () => {
    const regenerated = replaceSection(
      replaceSection(readme, 'capabilities', capabilityTable()),
      'parameters',
      parameterTable(),
    );
    expect(readme).toBe(regenerated);
  });

  it('GIVEN a newcomer THEN the two commands are there', () => {
    expect(readme).toMatch(/npm ci\nnpm start/);
    expect(readme).toMatch(/npm ci\nnpm test/);
  });

  it("GIVEN CI THEN it runs the README's test command", () => {
    expect(readFileSync(new URL('../.ci/run', import.meta.url), 'utf8')).toMatch(/^npm test$/m);
  });
});

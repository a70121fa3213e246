/** Helpers the provider tests share (AceData's own are in acedata-support.ts). */
import { request } from 'undici';
import { expect } from 'vitest';
import { parsePrompt } from '../../src/prompt/parse.js';
import type { ParsedPrompt } from '../../src/prompt/types.js';
import type { Fault } from '../../src/sandbox/providers/kit/faults.js';

/** The first prompt `input` parses to, as /imagine would; a test prompt that does not parse is a broken test. */
export function prompt(input: string): ParsedPrompt {
  const parsed = parsePrompt(input);
  if (!parsed.ok) throw new Error(`test prompt does not parse: ${JSON.stringify(parsed.errors)}`);
  return parsed.prompts[0]!;
}

/** Arms a fault through a simulator's control API. */
export async function inject(simulator: { url: string }, fault: Partial<Fault> & Pick<Fault, 'kind'>): Promise<void> {
  const response = await request(`${simulator.url}/__sim/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fault) });
  expect(response.statusCode).toBe(200);
  await response.body.dump();
}

import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { PROVIDER_IDS, type ProviderId } from '../../src/config.js';
import { blendRange, cannotBlend } from '../../src/providers/abilities.js';
import { createAdapter } from '../../src/providers/index.js';
import type { ProviderAdapter } from '../../src/providers/types.js';
import type { ParsedPrompt } from '../../src/prompt/types.js';

const adapter = (id: ProviderId): ProviderAdapter =>
  createAdapter(
    { id, baseUrl: 'http://127.0.0.1:9', key: 'k', endpointPath: 'e', model: 'gpt-image-1' },
    { logger: pino({ level: 'silent' }) },
  );
const blendOf = (count: number): ParsedPrompt => ({
  text: '',
  imageUrls: Array.from({ length: count }, (_, index) => `https://cdn.example/${index}.png`),
  params: { aspect: '2:3' },
});

describe('which providers blend, and why the others do not', () => {
  it('GIVEN each provider THEN the Midjourney-bot ones blend 2–5, those that need text or take no image prompts say so', () => {
    const reasons = Object.fromEntries(PROVIDER_IDS.map((id) => [id, cannotBlend(adapter(id), blendOf(2))]));
    expect(reasons).toEqual({
      'cloudsway-mj': undefined,
      acedata: undefined,
      apixo: 'APIXO needs some prompt text besides image URLs.',
      kie: 'Kie needs some prompt text besides image URLs.',
      'cloudsway-image': 'Cloudsway Image-1 does not take several image prompts.',
    });
    expect(blendRange(adapter('acedata'))).toBe('2–5');
    expect(blendRange(adapter('kie'))).toBeUndefined();
  });

  it('GIVEN a provider that takes fewer images than were given THEN its own limit is named', () => {
    const base = adapter('acedata');
    const smaller: ProviderAdapter = Object.assign(Object.create(base) as ProviderAdapter, {
      capabilities: { ...base.capabilities, limits: { ...base.capabilities.limits, maxImagePrompts: 3 } },
    });
    expect(cannotBlend(smaller, blendOf(3))).toBeUndefined();
    expect(cannotBlend(smaller, blendOf(5))).toBe('AceDataCloud blends at most 3 images; 5 were given.');
  });
});

import type { ParsedPrompt } from '../prompt/types.js';
import { PROVIDER_NAMES } from './index.js';
import type { ProviderAdapter } from './types.js';

/**
 * Why a provider cannot blend these images, in its own words, or undefined when it can. A blend is
 * an imagine of image prompts alone, so past the image-prompt limit the provider's own prompt check
 * decides (some need text with their images).
 */
export function cannotBlend(adapter: ProviderAdapter, prompt: ParsedPrompt): string | undefined {
  const name = PROVIDER_NAMES[adapter.id];
  const { imageToImage } = adapter.capabilities.actions;
  const { maxImagePrompts } = adapter.capabilities.limits;
  if (!imageToImage || maxImagePrompts < 2) return `${name} does not take several image prompts.`;
  if (prompt.imageUrls.length > maxImagePrompts)
    return `${name} blends at most ${maxImagePrompts} images; ${prompt.imageUrls.length} were given.`;
  const check = adapter.checkPrompt(prompt);
  return check.ok ? undefined : check.errors.map((error) => error.message).join(' ');
}

/** How many images a provider blends, for the README ("2–5"), or undefined when it cannot. */
export function blendRange(adapter: ProviderAdapter): string | undefined {
  const urls = ['https://example.com/1.png', 'https://example.com/2.png'];
  const prompt: ParsedPrompt = { text: '', imageUrls: urls, params: {} };
  if (cannotBlend(adapter, prompt) !== undefined) return undefined;
  return `2–${adapter.capabilities.limits.maxImagePrompts}`;
}

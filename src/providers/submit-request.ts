import type { ParsedPrompt } from '../prompt/types.js';
import type { SubmitRequest } from './types.js';

/** The prompt a request runs: its own for an imagine; for a follow-up the Remix edit, or else the parent's. */
export function promptOf(request: SubmitRequest): ParsedPrompt {
  return request.followUp ? (request.remix ?? request.parent.prompt) : request.prompt;
}

import type { ParsedPrompt } from '../prompt/types.js';
import type { SubmitRequest } from './types.js';

/** The prompt a request runs: its own for an imagine, the parent's for a follow-up. */
export function promptOf(request: SubmitRequest): ParsedPrompt {
  return request.followUp ? request.parent.prompt : request.prompt;
}

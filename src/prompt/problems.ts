/**
 * What can be wrong with a prompt, as data: the parser says what it found, and the catalogue in
 * text.ts says it in the member's language. Quoted pieces of the member's text are already cut to
 * a readable length.
 */

/** What a parameter's value may be. */
export type Allowed =
  | { kind: 'integer'; min: number; max: number }
  | { kind: 'number'; min: number; max: number }
  | { kind: 'oneOf'; choices: readonly string[] }
  | { kind: 'aspect' }
  | { kind: 'noList' }
  | { kind: 'profileCodes' }
  | { kind: 'srefList' }
  | { kind: 'imageUrls' }
  | { kind: 'imageUrl' }
  | { kind: 'nothing' };

export const UNSUPPORTED_FORMS = ['stealth', 'public'] as const;
export type UnsupportedForm = (typeof UNSUPPORTED_FORMS)[number];

export type PromptProblem =
  | { kind: 'mustBe'; flag: string; allowed: Allowed; got: string }
  | { kind: 'needsValue'; flag: string; allowed: Allowed }
  | { kind: 'unknownParam'; given: string; suggestion?: string }
  | { kind: 'unknownSpeed'; form: string }
  | { kind: 'unsupported'; form: UnsupportedForm }
  | { kind: 'twoSpeeds'; first: string; second: string }
  | { kind: 'givenTwice'; flag: string }
  | { kind: 'setTwice'; first: string; second: string; name: string }
  | { kind: 'nijiAndVersion'; niji: string; version: string }
  | { kind: 'draftNeedsV7'; version: string }
  | { kind: 'iwWithVersion'; version: string; iw: number }
  | { kind: 'empty' }
  | { kind: 'tooManyPrompts'; count: string; max: number }
  | { kind: 'nestedTooDeep'; max: number }
  | { kind: 'unmatchedClose' }
  | { kind: 'unmatchedOpen' };

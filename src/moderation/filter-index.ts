/**
 * The compiled form of a term list: every form of every term spelled out once, so that checking a
 * prompt is nothing but lookups of what it says.
 */
import { formsOf, leetReadings, spellTerm } from './normalize.js';
import type { FilterCategory } from './terms.js';

/** A banned term's category, a phrase that makes a banned word innocent, or a word that points at a child. */
export type Role = FilterCategory | 'allowed' | 'minor_marker';

export interface Entry {
  /** As listed, or as the guild typed it: this is what the log shows. */
  readonly term: string;
  readonly role: Role;
  /** Per word of the term, every form that counts as that word. */
  readonly words: readonly ReadonlySet<string>[];
}

const NONE: readonly Entry[] = [];

export class TermIndex {
  /** Entries by every form of their one word; multi-word entries also by their words joined ("bloodbath"). */
  readonly #byWord = new Map<string, Entry[]>();
  /** Multi-word entries by every form of their first word. */
  readonly #byFirstWord = new Map<string, Entry[]>();
  /** Every start of a key of #byWord, so that joining spelled-out letters stops as soon as nothing fits. */
  readonly #prefixes = new Set<string>();

  /** Adds a term; false when it folds to fewer than two characters, which would ban a letter. */
  add(term: string, role: Role): boolean {
    const words = spellTerm(term);
    // "pr0n" typed by an admin is also "pron": index the term with its leetspeak undone as well.
    const undone = (pick: (readings: string[]) => string | undefined): string[] =>
      words.map((word) => pick(leetReadings(word)) ?? word);
    const spellings = new Set(
      [words, undone((readings) => readings[0]), undone((readings) => readings.at(-1))]
        .filter((spelling) => spelling.join('').length >= 2)
        .map((spelling) => spelling.join(' ')),
    );
    for (const spelling of spellings) {
      const spelled = spelling.split(' ');
      const entry: Entry = { term, role, words: spelled.map((word) => new Set(formsOf(word))) };
      for (const form of formsOf(spelled.join(''))) this.#addWhole(form, entry);
      if (spelled.length > 1) for (const form of entry.words[0] ?? []) append(this.#byFirstWord, form, entry);
    }
    return spellings.size > 0;
  }

  /** Entries that are this one word, or these words joined. */
  whole(reading: string): readonly Entry[] {
    return this.#byWord.get(reading) ?? NONE;
  }

  /** Multi-word entries whose first word this is. */
  startingWith(reading: string): readonly Entry[] {
    return this.#byFirstWord.get(reading) ?? NONE;
  }

  /** Whether some word of this index starts with these letters. */
  mayStartWith(letters: string): boolean {
    return this.#prefixes.has(letters);
  }

  #addWhole(form: string, entry: Entry): void {
    append(this.#byWord, form, entry);
    for (let length = 1; length <= form.length; length++) this.#prefixes.add(form.slice(0, length));
  }
}

function append(index: Map<string, Entry[]>, key: string, entry: Entry): void {
  const entries = index.get(key);
  if (entries === undefined) index.set(key, [entry]);
  else entries.push(entry);
}

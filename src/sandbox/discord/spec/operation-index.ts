import type { SpecOperation } from './spec-type.js';

/**
 * Finds the OpenAPI operation for a request by method and path, the way Discord routes it: a
 * `{param}` segment takes any value, and a literal segment (`@original`, `@me`) beats a
 * parameter in the same place. Nothing here is per route, so routes the emulator gains later are
 * matched without a change.
 */
export class OperationIndex {
  readonly #byShape = new Map<string, { operation: SpecOperation; segments: string[] }[]>();

  constructor(operations: readonly SpecOperation[]) {
    for (const operation of operations) {
      const segments = split(operation.path);
      const key = shapeKey(operation.method, segments.length);
      const list = this.#byShape.get(key) ?? [];
      list.push({ operation, segments });
      this.#byShape.set(key, list);
    }
  }

  /** `path` is the decoded path under `/api/v10`, e.g. `/webhooks/1/abc/messages/@original`. */
  find(method: string, path: string): SpecOperation | undefined {
    const segments = split(path);
    let best: { operation: SpecOperation; literals: number } | undefined;
    for (const candidate of this.#byShape.get(shapeKey(method.toLowerCase(), segments.length)) ?? []) {
      let literals = 0;
      const matches = candidate.segments.every((part, index) => {
        if (part.startsWith('{') && part.endsWith('}')) return true;
        literals += 1;
        return part === segments[index];
      });
      if (matches && (!best || literals > best.literals)) best = { operation: candidate.operation, literals };
    }
    return best?.operation;
  }
}

function split(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

function shapeKey(method: string, length: number): string {
  return `${method}:${length}`;
}

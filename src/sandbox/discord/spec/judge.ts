import * as z from 'zod/mini';
import { type FieldError, fieldErrorsFromZod } from '../validate/form-errors.js';
import { SPEC_EXCEPTIONS, type SpecException } from './exceptions.js';
import { resolveIssues, valueAt } from './issues.js';
import { OperationIndex } from './operation-index.js';
import { SPEC_OPERATIONS, SPEC_VERSION } from './operations.generated.js';
import { loadSpecSchemas, SchemaCompiler, type SpecSchemas, UnsupportedSpecType } from './schemas.js';
import type { SpecOperation, SpecType } from './spec-type.js';

export type SpecOutcome = 'valid' | 'invalid' | 'unchecked';

/** What the spec says about one request or response body. */
export interface SpecVerdict {
  /** Discord's operation id; null when the spec has no such operation. */
  operationId: string | null;
  outcome: SpecOutcome;
  /** The field problems, with Discord's `_errors` codes; empty unless `invalid`. */
  errors: FieldError[];
  /** Why a body was not checked (no operation, no body, a type without a schema). */
  reason?: string;
  /** Documented exceptions (spec/exceptions.ts) the body needed to pass, by id. */
  excepted: string[];
}

/**
 * Discord's published OpenAPI spec (the `discord-api-spec` package) as a second judge of the
 * bot's requests and the emulator's answers. Pure: it records nothing; `SpecRecorder` does.
 * Generic by route: the operation is found by method and path, so every body on every route,
 * new shapes included, goes through the same check.
 */
export class SpecJudge {
  readonly #index: OperationIndex;
  readonly #compiler: SchemaCompiler;

  constructor(
    schemas: SpecSchemas,
    operations: readonly SpecOperation[] = SPEC_OPERATIONS,
    private readonly exceptions: readonly SpecException[] = SPEC_EXCEPTIONS,
  ) {
    this.#index = new OperationIndex(operations);
    this.#compiler = new SchemaCompiler(schemas);
  }

  /** The judge with the installed package's schemas, or null when the package is not installed. */
  static async load(): Promise<SpecJudge | null> {
    const schemas = await loadSpecSchemas();
    return schemas ? new SpecJudge(schemas) : null;
  }

  get version(): string {
    return SPEC_VERSION;
  }

  operation(method: string, path: string): SpecOperation | undefined {
    return this.#index.find(method, path);
  }

  /** `body` is the JSON body, or the `payload_json` part of a multipart body. */
  request(method: string, path: string, body: unknown): SpecVerdict {
    const operation = this.operation(method, path);
    if (!operation) return unchecked(null, 'the spec has no such operation');
    if (!operation.request) return unchecked(operation.operationId, 'the operation takes no body');
    if (body === undefined) return unchecked(operation.operationId, 'no body was sent');
    return this.#check(operation, operation.request, body, 'request', null);
  }

  /** `body` is undefined for an empty answer (204). */
  response(method: string, path: string, status: number, body: unknown): SpecVerdict {
    const operation = this.operation(method, path);
    if (!operation) return unchecked(null, 'the spec has no such operation');
    const type = operation.responses[String(status)] ?? operation.responses[`${Math.floor(status / 100)}XX`];
    if (!type) {
      const listed = Object.keys(operation.responses).join(', ');
      return invalid(operation.operationId, [
        {
          path: [],
          code: 'STATUS_NOT_IN_SPEC',
          message: `The spec lists ${listed} for ${operation.operationId}, not ${status}.`,
        },
      ]);
    }
    if (body === undefined) {
      const empty = 'keyword' in type && type.keyword === 'unknown';
      return empty
        ? { operationId: operation.operationId, outcome: 'valid', errors: [], excepted: [] }
        : invalid(operation.operationId, [
            { path: [], code: 'BASE_TYPE_REQUIRED', message: `A ${status} answer has a body.` },
          ]);
    }
    return this.#check(operation, type, body, 'response', status);
  }

  #check(
    operation: SpecOperation,
    type: SpecType,
    body: unknown,
    direction: 'request' | 'response',
    status: number | null,
  ): SpecVerdict {
    let schema: z.ZodMiniType;
    try {
      schema = this.#compiler.compile(type);
    } catch (error) {
      if (error instanceof UnsupportedSpecType) return unchecked(operation.operationId, error.message);
      throw error;
    }
    const result = z.safeParse(schema, body, { reportInput: true });
    if (result.success) return { operationId: operation.operationId, outcome: 'valid', errors: [], excepted: [] };
    const excepted = new Set<string>();
    const issues = resolveIssues(result.error.issues, (issue) => {
      const context = { direction, operationId: operation.operationId, status, value: valueAt(body, issue.path) };
      const exception = this.exceptions.find((candidate) => candidate.accepts(issue, context));
      if (exception) excepted.add(exception.id);
      return exception !== undefined;
    });
    const outcome = issues.length === 0 ? 'valid' : 'invalid';
    return { operationId: operation.operationId, outcome, errors: fieldErrorsFromZod(issues), excepted: [...excepted] };
  }
}

function unchecked(operationId: string | null, reason: string): SpecVerdict {
  return { operationId, outcome: 'unchecked', errors: [], reason, excepted: [] };
}

function invalid(operationId: string, errors: FieldError[]): SpecVerdict {
  return { operationId, outcome: 'invalid', errors, excepted: [] };
}

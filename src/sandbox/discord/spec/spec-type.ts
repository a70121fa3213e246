/**
 * A type from the `Paths` interface of `discord-api-spec`, reduced to what the judge can turn into
 * a zod schema. `ref` names a schema the package exports as `<ref>Schema`; `unsupported` keeps the
 * type text of anything else, so the judge can say why it did not check a body.
 */
export type SpecType =
  | { ref: string }
  | { array: SpecType }
  | { union: SpecType[] }
  | { literal: string | number | boolean | null }
  | { keyword: 'string' | 'number' | 'boolean' | 'unknown' }
  | { object: Record<string, { type: SpecType; optional: boolean }> }
  | { record: SpecType }
  | { unsupported: string };

/** One OpenAPI operation: its method, path template and the bodies it takes and returns. */
export interface SpecOperation {
  method: 'get' | 'put' | 'post' | 'patch' | 'delete';
  /** OpenAPI path template, e.g. `/channels/{channel_id}/messages`. */
  path: string;
  /** Discord's operation id, e.g. `create_message`. */
  operationId: string;
  /** `null`: the operation takes no body. */
  request: SpecType | null;
  /** By status key as the spec writes it: `"200"`, `"204"`, `"429"`, `"4XX"`. */
  responses: Record<string, SpecType>;
}

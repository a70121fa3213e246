import * as z from 'zod/mini';
import type { SpecType } from './spec-type.js';

/** The exports of `discord-api-spec/zod`: zod-mini schemas by name (`MessageResponseSchema`, …). */
export type SpecSchemas = Readonly<Record<string, unknown>>;

let loading: Promise<SpecSchemas | null> | undefined;

/**
 * Loads the package once per process (its 500 schemas take ~100 ms to build). It is a dev
 * dependency: a production image has no copy, and then the emulator runs without the judge.
 */
export function loadSpecSchemas(): Promise<SpecSchemas | null> {
  loading ??= import('discord-api-spec/zod').then(
    (module) => module as unknown as SpecSchemas,
    (error: unknown) => {
      if ((error as { code?: unknown } | null)?.code === 'ERR_MODULE_NOT_FOUND') return null;
      throw error;
    },
  );
  return loading;
}

export class UnsupportedSpecType extends Error {
  override readonly name = 'UnsupportedSpecType';
}

function isSchema(value: unknown): value is z.ZodMiniType {
  return typeof value === 'object' && value !== null && '_zod' in value;
}

/**
 * Turns the spec's types into zod schemas, reusing the package's named schemas. Each type object of
 * the operation table is compiled once and kept, so checking a body costs only the parse.
 */
export class SchemaCompiler {
  readonly #cache = new WeakMap<SpecType, z.ZodMiniType>();

  constructor(private readonly schemas: SpecSchemas) {}

  /** Throws `UnsupportedSpecType` for a type the package has no schema for. */
  compile(type: SpecType): z.ZodMiniType {
    const cached = this.#cache.get(type);
    if (cached) return cached;
    const schema = this.#build(type);
    this.#cache.set(type, schema);
    return schema;
  }

  #build(type: SpecType): z.ZodMiniType {
    if ('ref' in type) {
      const schema = this.schemas[`${type.ref}Schema`];
      if (!isSchema(schema)) throw new UnsupportedSpecType(`discord-api-spec exports no ${type.ref}Schema`);
      return schema;
    }
    if ('array' in type) return z.array(this.compile(type.array));
    if ('union' in type) {
      const nullable = type.union.some((member) => 'literal' in member && member.literal === null);
      const members = type.union
        .filter((member) => !('literal' in member && member.literal === null))
        .map((member) => this.compile(member));
      const [first, ...rest] = members;
      const union = !first ? z.null() : rest.length === 0 ? first : z.union([first, ...rest]);
      return nullable ? z.nullable(union) : union;
    }
    if ('literal' in type) return type.literal === null ? z.null() : z.literal(type.literal);
    if ('keyword' in type) {
      switch (type.keyword) {
        case 'string':
          return z.string();
        case 'number':
          return z.number();
        case 'boolean':
          return z.boolean();
        case 'unknown':
          return z.unknown();
      }
    }
    if ('object' in type) {
      const shape: Record<string, z.ZodMiniType> = {};
      for (const [key, property] of Object.entries(type.object)) {
        const schema = this.compile(property.type);
        shape[key] = property.optional ? z.optional(schema) : schema;
      }
      return z.object(shape);
    }
    if ('record' in type) return z.record(z.string(), this.compile(type.record));
    throw new UnsupportedSpecType(`the spec's type \`${type.unsupported}\` has no schema`);
  }
}

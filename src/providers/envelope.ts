import { z } from 'zod';

/**
 * The schema maker for a provider whose every answer is an envelope `{code, …, data}` (APIXO, Kie):
 * `envelope(where, data)` checks the envelope, throws the provider's refusal when `code` is not 200
 * (from inside parsing, so the shared client's retry policy sees it), and returns `data` parsed.
 * Each endpoint's schema is built once: a new zod schema compiles its parser again on first use.
 */
export function envelopeSchemas(
  base: z.ZodType<{ code: number; data: unknown }>,
  refusal: (where: string, code: number, body: unknown) => Error,
) {
  function build<Data extends z.ZodType>(where: string, data: Data) {
    return base.transform((body, context): z.infer<Data> => {
      if (body.code !== 200) throw refusal(where, body.code, body);
      const parsed = data.safeParse(body.data);
      if (parsed.success) return parsed.data;
      for (const issue of parsed.error.issues)
        context.addIssue({ ...issue, code: 'custom', path: ['data', ...issue.path], message: issue.message });
      return z.NEVER;
    });
  }
  const built = new Map<string, WeakMap<z.ZodType, ReturnType<typeof build>>>();
  return function envelope<Data extends z.ZodType>(where: string, data: Data): ReturnType<typeof build<Data>> {
    let byData = built.get(where);
    if (!byData) built.set(where, (byData = new WeakMap()));
    const cached = byData.get(data) as ReturnType<typeof build<Data>> | undefined;
    if (cached) return cached;
    const schema = build(where, data);
    byData.set(data, schema);
    return schema;
  };
}

import { z } from 'zod';

/**
 * The job object every MaaS-MJ endpoint answers with (submit and `GET /tob/job/{id}` alike).
 * https://docs.cloudsway.net/maasapi/api-reference/image/mj
 * Fields are read leniently where the page is vague: `status` is documented as an int with a
 * string default ("0"), `audits`/`urls` may be null before anything exists.
 */
export const mjJobSchema = z.looseObject({
  id: z.union([z.string().min(1), z.number()]).transform(String),
  status: z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]).pipe(z.number().int().min(0).max(3)),
  comment: z.string().nullish(),
  text: z.string().nullish(),
  seed: z.union([z.number(), z.string()]).nullish(),
  urls: z.array(z.string().nullable()).nullish(),
  audits: z.array(z.string().nullable()).nullish(),
  // Not documented; one integrator reads an optional "30%" (CONTRACTS.md §A). Read it when present.
  progress: z.union([z.string(), z.number()]).nullish(),
});
export type MjJob = z.infer<typeof mjJobSchema>;

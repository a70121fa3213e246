import { z } from 'zod';

/**
 * Request bodies of MaaS-MJ, as Cloudsway's page (and, for the upstream-only routes, Youchuan's
 * doc) describes them. Strict: a field the service does not know is an error, as with Youchuan's
 * `Invalid_Argument`.
 */
const text = z.string().min(1).max(8192);
const jobId = z.string().min(1);
const imageNo = z.number().int().min(0).max(3);
const remixPrompt = text.optional();

export const diffusionSchema = z.strictObject({ text });

export const upscaleSchema = z.strictObject({
  jobId,
  imageNo,
  // Cloudsway's enum is "0" "1"; upstream's 2/3 (v5 only) are refused by the route, not the schema.
  type: z.number().int().min(0).max(3),
});

const areaSchema = z
  .strictObject({
    width: z.number().int().min(500).max(4096),
    height: z.number().int().min(500).max(4096),
    points: z.array(z.number().int().nonnegative()).min(6),
  })
  .refine((area) => area.points.length % 2 === 0, { message: 'points must be x,y pairs', path: ['points'] })
  .refine((area) => area.points.every((value, index) => value <= (index % 2 === 0 ? area.width : area.height)), {
    message: 'points must lie inside width × height',
    path: ['points'],
  });

export const inpaintSchema = z.strictObject({
  jobId,
  imageNo,
  mask: z.union([
    z.strictObject({ areas: z.array(areaSchema).min(1) }),
    z.strictObject({ url: z.url({ protocol: /^https?$/ }) }),
  ]),
  remixPrompt,
});

/** Upstream-only routes (Youchuan); the simulator serves them only when told to. */
export const variationSchema = z.strictObject({
  jobId,
  imageNo,
  type: z.union([z.literal(0), z.literal(1)]),
  remixPrompt,
});
export const rerollSchema = z.strictObject({ jobId });
export const panSchema = z.strictObject({
  jobId,
  imageNo,
  direction: z.number().int().min(0).max(3),
  scale: z.number().min(1.1).max(3),
  remixPrompt,
});
export const outpaintSchema = z.strictObject({ jobId, imageNo, scale: z.number().min(1.1).max(2), remixPrompt });

import { z } from 'zod';
import { discordIssue } from './form-errors.js';

/** Embed limits from developers/resources/message.mdx ("Embed Limits"). */
const MAX_EMBED_TEXT = 6000;

const embedSchema = z.looseObject({
  title: z.string().max(256).nullish(),
  description: z.string().max(4096).nullish(),
  url: z.string().nullish(),
  timestamp: z.string().nullish(),
  color: z.int().min(0).max(0xffffff).nullish(),
  footer: z.looseObject({ text: z.string().max(2048), icon_url: z.string().nullish() }).nullish(),
  image: z.looseObject({ url: z.string() }).nullish(),
  thumbnail: z.looseObject({ url: z.string() }).nullish(),
  author: z
    .looseObject({ name: z.string().max(256), url: z.string().nullish(), icon_url: z.string().nullish() })
    .nullish(),
  fields: z
    .array(
      z.looseObject({
        name: z.string().min(1).max(256),
        value: z.string().min(1).max(1024),
        inline: z.boolean().nullish(),
      }),
    )
    .max(25)
    .nullish(),
});

type Embed = z.infer<typeof embedSchema>;

/** The characters Discord counts towards the 6000 limit shared by all embeds of a message. */
function embedTextLength(embed: Embed): number {
  const fields = (embed.fields ?? []).reduce((sum, field) => sum + field.name.length + field.value.length, 0);
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    fields
  );
}

export const embedsSchema = z
  .array(embedSchema)
  .max(10)
  .superRefine((embeds, context) => {
    const total = embeds.reduce((sum, embed) => sum + embedTextLength(embed), 0);
    if (total > MAX_EMBED_TEXT) {
      context.addIssue(discordIssue('MAX_EMBED_SIZE_EXCEEDED', `Embed size exceeds maximum size of ${MAX_EMBED_TEXT}`));
    }
  });

import { z } from 'zod';
import { privateChannelJson } from '../state/serialize.js';
import { parseForm } from '../validate/form-errors.js';
import { ok, type RestContext, type RestResult, type RestRoute } from './route.js';

const createDmBody = z.looseObject({ recipient_id: z.string().regex(/^\d{1,20}$/) });

/**
 * `POST /users/@me/channels` (create_dm): the bot's DM channel with a user, the same one each time.
 * Making it always works; whether the user takes the message is decided when it is sent (50007).
 */
function createDm(context: RestContext): RestResult {
  const { core } = context;
  const { recipient_id: recipientId } = parseForm(createDmBody, context.body.json);
  const channel = core.store.dmChannelWith(recipientId);
  return ok(privateChannelJson(channel, core.store));
}

export const userRoutes: readonly RestRoute[] = [
  { method: 'POST', template: '/users/@me/channels', auth: 'bot', handle: createDm },
];

import type { MessageCommand, SlashCommand } from '../src/discord/context.js';
import { blend } from './blend.js';
import { deleteJob } from './delete.js';
import { describe } from './describe.js';
import { imagine } from './imagine.js';
import { info } from './info.js';
import { localize, localizeMessageCommand } from './localizations.js';
import { mod } from './mod.js';
import { prefer } from './prefer.js';
import { sendToMe } from './send-to-me.js';
import { settings } from './settings.js';
import { showSeed } from './show-seed.js';
import { shorten } from './shorten.js';
import { upscale } from './upscale.js';
import { vary } from './vary.js';

/** Every slash command, listed explicitly: what the router serves and `npm run deploy-commands` registers. */
export const commands: readonly SlashCommand[] = [
  imagine,
  blend,
  describe,
  shorten,
  upscale,
  vary,
  settings,
  info,
  mod,
  prefer,
];

/** Every message command (Apps menu on a message), listed explicitly, registered with the slash commands. */
export const messageCommands: readonly MessageCommand[] = [deleteJob, sendToMe, showSeed];

export { promptListButton } from './prompt-tools.js';

/** What Discord registers: each definition with its localizations (Spanish). */
export const commandDefinitions = [
  ...commands.map((command) => localize(command.definition)),
  ...messageCommands.map((command) => localizeMessageCommand(command.definition)),
];

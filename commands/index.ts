import type { SlashCommand } from '../src/discord/context.js';
import { blend } from './blend.js';
import { imagine } from './imagine.js';
import { info } from './info.js';
import { localize } from './localizations.js';
import { mod } from './mod.js';
import { prefer } from './prefer.js';
import { settings } from './settings.js';
import { upscale } from './upscale.js';
import { vary } from './vary.js';

/** Every slash command, listed explicitly: what the router serves and `npm run deploy-commands` registers. */
export const commands: readonly SlashCommand[] = [imagine, blend, upscale, vary, settings, info, mod, prefer];

/** What Discord registers: each definition with its localizations (Spanish). */
export const commandDefinitions = commands.map((command) => localize(command.definition));

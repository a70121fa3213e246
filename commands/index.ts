import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { imagineDefinition } from './imagine.js';
import { upscaleDefinition } from './upscale.js';
import { varyDefinition } from './vary.js';

/** Every slash command, listed explicitly: what `npm run deploy-commands` registers. */
export const commandDefinitions: RESTPostAPIChatInputApplicationCommandsJSONBody[] = [imagineDefinition, upscaleDefinition, varyDefinition].map((definition) =>
  definition.toJSON(),
);

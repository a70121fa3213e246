import type {
  AutocompleteInteraction,
  ChatInputCommandInteraction,
  MessageContextMenuCommandInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
  RESTPostAPIContextMenuApplicationCommandsJSONBody,
} from 'discord.js';
import type { Config, ProviderId } from '../config.js';
import type { JobService } from '../jobs/service.js';
import type { Logger } from '../logger.js';
import type { ProviderAdapter } from '../providers/types.js';
import type { ModerationDesk } from '../moderation/desk.js';
import type { ModerationGate } from '../moderation/gate.js';
import type { Stores } from '../store/stores.js';
import type { Publisher } from './publisher.js';
import type { RegionLinks } from './region-link.js';

/** What every handler receives: the bot's parts, passed in rather than imported as singletons. */
export interface BotContext {
  config: Config;
  logger: Logger;
  stores: Stores;
  jobs: JobService;
  publisher: Publisher;
  adapters: ReadonlyMap<ProviderId, ProviderAdapter>;
  gate: ModerationGate;
  desk: ModerationDesk;
  now: () => number;
  /** Where the bot's own pages are reached (the Vary (Region) editor), when it has a public URL. */
  publicBaseUrl: () => string | undefined;
  regionLinks: RegionLinks;
}

/** One slash command: its definition and its handler, in one file under `commands/`. */
export interface SlashCommand {
  definition: RESTPostAPIChatInputApplicationCommandsJSONBody;
  execute(interaction: ChatInputCommandInteraction, context: BotContext): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, context: BotContext): Promise<void>;
}

/** One message command (Discord's Apps menu on a message): its definition and handler, in one file under `commands/`. */
export interface MessageCommand {
  definition: RESTPostAPIContextMenuApplicationCommandsJSONBody;
  execute(interaction: MessageContextMenuCommandInteraction, context: BotContext): Promise<void>;
}

/** Public surface of the Discord emulator, for tests, the playground and the bot's e2e harness. */
export {
  DiscordEmulator,
  type ActionOptions,
  type AutocompleteResult,
  type CreatedUser,
  type EmulatorOptions,
} from './emulator.js';
export { ManualClock, SystemClock, type Clock } from './clock.js';
export { DEFAULT_LIMITS, type Limits, type RateLimitWindow } from './limits.js';
export type { Seed } from './seed.js';
export type { EmulatorEventMap, EmulatorEventName, EmulatorEvents } from './events.js';
export type { InteractionRecord, InteractionKind, InteractionState } from './state/types.js';
export type { MessageView, ViewOptions, WaitOptions } from './message-views.js';
export type { AttachmentInput } from './interactions/options.js';
export type {
  SlashCommandInput,
  AutocompleteInput,
  ComponentInput,
  MessageCommandInput,
  ModalSubmitInput,
} from './interactions/actions.js';
export type { CreateUserInput, CreateRoleInput, CreateChannelInput, OverwriteInput } from './world.js';
export type { RecordedRequest } from './request-log.js';
export { SpecJudge, type SpecOutcome, type SpecVerdict } from './spec/judge.js';
export type { SpecCounts, SpecMode, SpecReport, SpecViolation } from './spec/recorder.js';
export { SPEC_EXCEPTIONS, type SpecException } from './spec/exceptions.js';
export type { PermissionName } from './permissions.js';
export {
  startDiscordHarness,
  type ActorOptions,
  type BotEnvironment,
  type ChannelHandle,
  type DiscordHarness,
  type DiscordHarnessOptions,
  type StartedBot,
  type UserActor,
} from './harness.js';

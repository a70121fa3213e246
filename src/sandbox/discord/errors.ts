/**
 * Discord's REST error replies, with Discord's codes and texts
 * (developers/topics/opcodes-and-status-codes.mdx). Handlers throw these; the REST boundary
 * (rest/api.ts) is the one place that turns them into HTTP answers.
 */
export interface DiscordErrorBody {
  code: number;
  message: string;
  errors?: Record<string, unknown>;
}

export class DiscordApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly errors?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DiscordApiError';
  }

  toBody(): DiscordErrorBody {
    return this.errors
      ? { code: this.code, message: this.message, errors: this.errors }
      : { code: this.code, message: this.message };
  }
}

const error = (status: number, code: number, message: string) => () => new DiscordApiError(status, code, message);

export const discordErrors = {
  unauthorized: error(401, 0, '401: Unauthorized'),
  notFound: error(404, 0, '404: Not Found'),
  methodNotAllowed: error(405, 0, '405: Method Not Allowed'),
  unknownChannel: error(404, 10003, 'Unknown Channel'),
  unknownGuild: error(404, 10004, 'Unknown Guild'),
  unknownMember: error(404, 10007, 'Unknown Member'),
  unknownMessage: error(404, 10008, 'Unknown Message'),
  unknownUser: error(404, 10013, 'Unknown User'),
  unknownWebhook: error(404, 10015, 'Unknown Webhook'),
  unknownInteraction: error(404, 10062, 'Unknown interaction'),
  unknownCommand: error(404, 10063, 'Unknown application command'),
  requestTooLarge: error(413, 40005, 'Request entity too large'),
  alreadyAcknowledged: error(400, 40060, 'Interaction has already been acknowledged.'),
  missingAccess: error(403, 50001, 'Missing Access'),
  cannotEditOthersMessage: error(403, 50005, 'Cannot edit a message authored by another user'),
  emptyMessage: error(400, 50006, 'Cannot send an empty message'),
  cannotMessageUser: error(403, 50007, 'Cannot send messages to this user'),
  cannotActInDm: error(403, 50003, 'Cannot execute action on a DM channel'),
  missingPermissions: error(403, 50013, 'Missing Permissions'),
  invalidWebhookToken: error(401, 50027, 'Invalid Webhook Token'),
  invalidJson: error(400, 50109, 'The request body contains invalid JSON.'),
  invalidFormBody: (errors: Record<string, unknown>) => new DiscordApiError(400, 50035, 'Invalid Form Body', errors),
} as const;

/**
 * A control-API or in-process action the emulator refuses because the Discord client itself would
 * not allow it (clicking a disabled button, running a command that is not registered, …).
 */
export class EmulatorUsageError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'EmulatorUsageError';
  }
}

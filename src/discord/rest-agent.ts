import { createRequire } from 'node:module';
import type { RESTOptions } from 'discord.js';

/**
 * An HTTP agent from the undici that discord.js's REST client ships with (6.x).
 *
 * Our own code uses undici 7. Both versions keep a process-wide "global dispatcher" under the same
 * symbol, so without this the REST client would send through whichever undici happened to load
 * first — and undici 7 cannot send undici 6's multipart bodies ("action is not a function" on
 * every file upload). Giving REST its own agent makes the import order irrelevant.
 */
export function discordRestAgent(): NonNullable<RESTOptions['agent']> {
  const require = createRequire(import.meta.url);
  const restEntry = require.resolve('@discordjs/rest');
  // Typed as discord.js's own Dispatcher; it is that package's undici, loaded by path.
  const undici = createRequire(restEntry)('undici') as {
    Agent: new (options?: object) => NonNullable<RESTOptions['agent']>;
  };
  return new undici.Agent({ keepAliveTimeout: 30_000 });
}

import { parseArgs } from 'node:util';
import { z } from 'zod';
import { PROVIDER_IDS } from '../../config.js';
import { startSimulator } from './index.js';

const usage = `usage: npm run sim -- <${PROVIDER_IDS.join('|')}> [--port N] [--key K] [--time-scale F]`;

const argumentsSchema = z.object({
  provider: z.enum(PROVIDER_IDS, { error: `provider must be one of ${PROVIDER_IDS.join(', ')}` }),
  port: z.coerce.number().int().min(0).max(65_535).default(0),
  key: z.string().min(1).default('test-key'),
  timeScale: z.coerce.number().positive().default(1),
});

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { port: { type: 'string' }, key: { type: 'string' }, 'time-scale': { type: 'string' } },
});
const parsed = argumentsSchema.safeParse({
  provider: positionals[0],
  port: values.port,
  key: values.key,
  timeScale: values['time-scale'],
});
if (!parsed.success) {
  process.stderr.write(
    `${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('\n')}\n${usage}\n`,
  );
  process.exit(64);
}
const simulator = await startSimulator(parsed.data.provider, {
  port: parsed.data.port,
  key: parsed.data.key,
  timeScale: parsed.data.timeScale,
});
// First line: the base URL a client configures (the key is the one given, never printed).
process.stdout.write(`${simulator.baseUrl}\n`);
process.stdout.write(
  `${parsed.data.provider} simulator on ${simulator.url} (time scale ${parsed.data.timeScale}); control API at ${simulator.url}/__sim/\n`,
);
const stop = () => void simulator.stop().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

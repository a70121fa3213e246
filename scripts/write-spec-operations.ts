import { readFileSync, writeFileSync } from 'node:fs';
import { extractOperations, renderOperationsModule, specPackage } from './spec-operations.js';

/** Rewrites the emulator's table of Discord's operations from the installed discord-api-spec. */
const { version, typesPath } = specPackage();
const operations = extractOperations(readFileSync(typesPath, 'utf8'));
const target = new URL('../src/sandbox/discord/spec/operations.generated.ts', import.meta.url);
writeFileSync(target, renderOperationsModule(operations, version));
process.stdout.write(`${operations.length} operations from discord-api-spec ${version} written.\n`);

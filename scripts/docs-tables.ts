import { readFileSync, writeFileSync } from 'node:fs';
import { capabilityTable, parameterTable, replaceSection } from '../src/providers/tables.js';

/** Rewrites the README's provider tables from the adapters' declarations. */
const path = new URL('../README.md', import.meta.url);
let readme = readFileSync(path, 'utf8');
readme = replaceSection(readme, 'capabilities', capabilityTable());
readme = replaceSection(readme, 'parameters', parameterTable());
writeFileSync(path, readme);
process.stdout.write('README tables updated.\n');

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve, sep } from 'node:path';

/**
 * The browser packages the page imports, served from node_modules as they are published: the
 * Discord message web components and the Lit packages they are built on. The page's import map
 * (static/index.html) maps their bare specifiers to `/vendor/<package>/…`, so no bundler is needed.
 * Each is resolved from the package that depends on it, in case npm did not hoist it.
 */
const VENDOR_PACKAGES: readonly { name: string; from: string }[] = [
  { name: '@skyra/discord-components-core', from: '.' },
  { name: 'lit', from: '@skyra/discord-components-core' },
  { name: '@lit/context', from: '@skyra/discord-components-core' },
  { name: 'lit-html', from: 'lit' },
  { name: 'lit-element', from: 'lit' },
  { name: '@lit/reactive-element', from: 'lit' },
];

/** What a vendored package may serve: its modules and their source maps. */
const SERVABLE = /\.(js|js\.map)$/;

/** The folder holding `name`'s package.json, found by resolving its main module from `fromFile`. */
function packageRoot(name: string, fromFile: string): string {
  const entry = createRequire(fromFile).resolve(name);
  for (let folder = dirname(entry); folder !== dirname(folder); folder = dirname(folder)) {
    const manifest = join(folder, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === name)
      return folder;
  }
  throw new Error(`Cannot find the package folder of ${name} (resolved ${entry})`);
}

/** Maps `/vendor/<package>/<file>` to a file inside that package, or `undefined` for anything else. */
export type VendorResolver = (path: string) => string | undefined;

export function createVendorResolver(): VendorResolver {
  const roots = new Map<string, string>();
  for (const { name, from } of VENDOR_PACKAGES) {
    const fromFile = from === '.' ? import.meta.url : join(roots.get(from) ?? '', 'package.json');
    roots.set(name, packageRoot(name, fromFile));
  }
  return (path) => {
    const rest = path.slice('/vendor/'.length);
    for (const [name, root] of roots) {
      if (!rest.startsWith(`${name}/`)) continue;
      let file: string;
      try {
        file = resolve(root, decodeURIComponent(rest.slice(name.length + 1)));
      } catch {
        return undefined;
      }
      return file.startsWith(root + sep) && SERVABLE.test(file) ? file : undefined;
    }
    return undefined;
  };
}

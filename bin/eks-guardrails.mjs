#!/usr/bin/env node
// The CLI is TypeScript run by Node's own type stripping (Node ≥ 22.18), the same sources Lambda bundles.
// On an older Node (this machine's system Node 20), re-run with the Node 24 the project installs.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

if (process.features?.typescript) {
  await import('../dev/cli/main.ts');
} else {
  let node;
  try {
    node = createRequire(import.meta.url).resolve('node/bin/node');
  } catch {
    console.error('eks-guardrails needs Node.js ≥ 22.18 (type stripping); run `npm ci` to install the project\'s Node 24.');
    process.exit(2);
  }
  const r = spawnSync(node, [new URL(import.meta.url).pathname, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

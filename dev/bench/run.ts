/**
 * `npm run bench`: runs every dev/bench/*.bench.ts in turn. Each prints its own numbers; targets are
 * stated next to the numbers and compared as ratios measured in the same run (the machine is noisy).
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

// The functions' EMF metric lines would bury the numbers (docs/operations.md).
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
const dir = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).filter((f) => only.length === 0 || only.some((o) => f.includes(o))).sort();
for (const file of files) {
  console.log(`\n=== ${file.replace('.bench.ts', '')} ===`);
  const mod = (await import(pathToFileURL(`${dir}${file}`).href)) as { default: () => Promise<void> };
  await mod.default();
}

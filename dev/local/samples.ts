import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const EVENTS_DIR = fileURLToPath(new URL('../../events/', import.meta.url));

/** Identifiers the sample events use, to be swapped for the ones a local account really has. */
export const SAMPLE_IDS = {
  groupId: 'sg-0123456789abcdef0',
  clusterName: 'prod',
  account: '123456789012',
  asgName: 'eks-gpu-a6c9b1d2-3e4f-5a6b-7c8d-9e0f1a2b3c4d',
  nodegroupName: 'gpu',
} as const;

/**
 * A sample event from `events/`, with its placeholder ids replaced (exact JSON string values only)
 * and a fresh event id, so a test or the demo can send it against resources that exist.
 */
export function loadSample(relativePath: string, replace: Partial<Record<keyof typeof SAMPLE_IDS, string>> & { id?: string } = {}): Record<string, unknown> {
  let text = readFileSync(`${EVENTS_DIR}${relativePath}`, 'utf8');
  for (const [key, value] of Object.entries(replace)) {
    if (key === 'id' || value === undefined) continue;
    const from = SAMPLE_IDS[key as keyof typeof SAMPLE_IDS];
    text = text.split(JSON.stringify(from)).join(JSON.stringify(value));
  }
  const event = JSON.parse(text) as Record<string, unknown>;
  if (replace.id) event.id = replace.id;
  return event;
}

/** Every sample, as `<folder>/<file>`; the folder names the function it is for (or `unmatched`). */
export function listSamples(): string[] {
  return readdirSync(EVENTS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => readdirSync(`${EVENTS_DIR}${d.name}`).filter((f) => f.endsWith('.json')).map((f) => `${d.name}/${f}`))
    .sort();
}

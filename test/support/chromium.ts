import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const CHROMIUM_INSTALL = 'apt-get update && apt-get install -y chromium';

/** Debian's chromium; the test fails (never skips) without it, saying how to install it. */
export function chromiumPath(): string {
  const path = process.env.CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(path)) throw new Error(`headless Chromium is required for the HTML report test: ${path} not found. Install it (as root): ${CHROMIUM_INSTALL}`);
  return path;
}

/** Renders a local file in headless Chromium (no network, throwaway profile): the DOM after load, and a screenshot. */
export function renderInChromium(file: string, screenshot?: string): string {
  const profile = mkdtempSync(join(tmpdir(), 'chromium-profile-'));
  const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`, '--window-size=1280,2000'];
  try {
    const url = pathToFileURL(file).href;
    const dom = spawnSync(chromiumPath(), [...flags, '--dump-dom', url], { encoding: 'utf8', timeout: 60_000, maxBuffer: 32 * 1024 * 1024 });
    if (dom.status !== 0) throw new Error(`chromium --dump-dom failed (${dom.status}): ${dom.stderr.slice(-2000)}`);
    if (screenshot) {
      const shot = spawnSync(chromiumPath(), [...flags, `--screenshot=${screenshot}`, url], { encoding: 'utf8', timeout: 60_000 });
      if (shot.status !== 0 || !existsSync(screenshot)) throw new Error(`chromium --screenshot failed (${shot.status}): ${shot.stderr.slice(-2000)}`);
    }
    return dom.stdout;
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The commands of the README's "Two commands" block, comments stripped. */
function readmeCommands(): string[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const block = /## Two commands\s+```sh\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(block, 'README has a "Two commands" sh block');
  return block.split('\n').map((l) => l.replace(/#.*$/, '').trim()).filter(Boolean);
}

describe('what a new user runs is what CI runs', () => {
  it('.ci/run runs exactly the README\'s two commands, in order, and nothing else', () => {
    const ci = readFileSync(join(root, '.ci/run'), 'utf8').split('\n').map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#') && !l.startsWith('echo ') && !/^(set |cd |export CI=true$)/.test(l));
    assert.deepEqual(ci, readmeCommands());
    assert.deepEqual(readmeCommands(), ['npm ci && npx eks-guardrails demo', 'npm test']);
  });

  it('npm test checks its tools first (scripts/test-prereqs.sh)', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    assert.match(pkg.scripts.test!, /^bash scripts\/test-prereqs\.sh && /);
  });

  it('without moto or cfn-lint, or with a CHROMIUM that is not there, the check fails saying what to install', () => {
    // Stand-ins on PATH: a python3 without moto, a cfn-lint, no chromium and no sudo; installing is off.
    const bin = mkdtempSync(join(tmpdir(), 'prereqs-'));
    try {
      const script = join(bin, 'test-prereqs.sh');
      copyFileSync(join(root, 'scripts/test-prereqs.sh'), script);
      const stub = (name: string, body: string) => { writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`); chmodSync(join(bin, name), 0o755); };
      const run = (env: Record<string, string>) => spawnSync('bash', [script], { encoding: 'utf8', env: { PATH: `${bin}:/usr/bin:/bin`, ...env } });

      stub('python3', 'exit 1');
      stub('cfn-lint', 'echo cfn-lint 1.0');
      let r = run({});
      assert.equal(r.status, 1);
      assert.match(r.stderr, /moto .* is missing: pip install 'moto\[server\]'/);

      stub('python3', 'echo 5.0.0');
      stub('cfn-lint', 'exit 127');
      r = run({});
      assert.equal(r.status, 1);
      assert.match(r.stderr, /cfn-lint .* is missing: pip install cfn-lint/);

      stub('cfn-lint', 'echo cfn-lint 1.0');
      r = run({ CHROMIUM: join(bin, 'no-such-chromium') });
      assert.equal(r.status, 1);
      assert.match(r.stderr, /CHROMIUM=.*no-such-chromium is not an executable file/);

      stub('chromium', 'echo Chromium 1.0');
      r = run({ CHROMIUM: join(bin, 'chromium') });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, /moto 5\.0\.0, cfn-lint 1\.0, Chromium 1\.0/);
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });
});

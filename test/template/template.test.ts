import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { functionNameOf, functionRules, loadTemplate, TEMPLATE_PATH } from '../../dev/local/template.ts';
import { LocalRouter } from '../../dev/local/router.ts';
import { listSamples, loadSample } from '../../dev/local/samples.ts';
import { FUNCTIONS } from '../../dev/cli/functions.ts';
import { useMoto } from '../support/moto.ts';

const template = loadTemplate();
const functions = Object.entries(template.Resources).filter(([, r]) => r.Type === 'AWS::Serverless::Function');

describe('template.yaml', () => {
  it('passes cfn-lint with nothing to report', () => {
    const r = spawnSync('cfn-lint', [TEMPLATE_PATH], { encoding: 'utf8' });
    assert.ok(!r.error, `cfn-lint could not run (${r.error?.message}); install it with: pip install cfn-lint`);
    assert.equal(`${r.stdout}${r.stderr}`.trim(), '');
    assert.equal(r.status, 0);
  });

  it('builds every function with esbuild from an entry point that exists, for nodejs24.x on arm64', () => {
    const globals = template.Globals?.Function ?? {};
    assert.equal(globals.Runtime, 'nodejs24.x');
    assert.deepEqual(globals.Architectures, ['arm64']);
    assert.ok(functions.length >= 2);
    for (const [id, fn] of functions) {
      assert.equal(fn.Metadata?.BuildMethod, 'esbuild', id);
      const name = functionNameOf(fn);
      assert.ok(name && FUNCTIONS.includes(name as (typeof FUNCTIONS)[number]), `${id}: entry point names a known function`);
      assert.ok(existsSync(new URL(`../../functions/${name}/handler.ts`, import.meta.url)), `${id}: functions/${name}/handler.ts exists`);
    }
  });

  it('bundles every function with the same esbuild options (only the entry point differs)', () => {
    const options = functions.map(([, fn]) => {
      const { EntryPoints, ...rest } = fn.Metadata?.BuildProperties as Record<string, unknown>;
      return JSON.stringify(rest);
    });
    assert.equal(new Set(options).size, 1, options.join('\n'));
    assert.match(options[0]!, /"Minify":true/);
    // A string, not a list: `sam build` turns a list into repeated `--main-fields:…` flags, which esbuild rejects.
    assert.match(options[0]!, /"MainFields":"module,main"/);
  });

  it('gives every EventBridge rule a retry policy and a dead-letter queue', () => {
    for (const [id, fn] of functions) {
      const events = (fn.Properties?.Events ?? {}) as Record<string, { Type: string; Properties: Record<string, unknown> }>;
      for (const [name, ev] of Object.entries(events)) {
        if (ev.Type !== 'EventBridgeRule') continue;
        assert.ok(ev.Properties.RetryPolicy, `${id}.${name} has a RetryPolicy`);
        assert.ok(ev.Properties.DeadLetterConfig, `${id}.${name} has a DeadLetterConfig`);
      }
    }
    for (const [id, resource] of Object.entries(template.Resources)) {
      if (resource.Type !== 'AWS::Events::Rule') continue;
      for (const target of (resource.Properties?.Targets ?? []) as Record<string, unknown>[]) {
        assert.ok(target.RetryPolicy, `${id} target ${String(target.Id)} has a RetryPolicy`);
        assert.ok(target.DeadLetterConfig, `${id} target ${String(target.Id)} has a DeadLetterConfig`);
      }
    }
  });

  it('grants no wildcard actions', () => {
    const actions = JSON.stringify(template.Resources).match(/"Action":(\[[^\]]*\]|"[^"]*")/g) ?? [];
    for (const a of actions) assert.doesNotMatch(a, /"[a-z0-9-]+:\*"|"\*"/, a);
  });
});

describe('EventBridge rules, decided by moto\'s pattern engine', () => {
  const env = useMoto();

  it('route each sample in events/<function>/ to that function only, and the unmatched samples nowhere', async () => {
    const router = await LocalRouter.fromTemplate(env.moto, { template });
    const samples = listSamples();
    assert.ok(samples.length >= 5);
    const ruled = new Set(functionRules(template).map((r) => r.functionName));
    for (const sample of samples) {
      const folder = sample.split('/')[0]!;
      // Each sample is put on both buses: the account's default bus (AWS events) and the project's bus (our results).
      const routed = [...(await router.route([loadSample(sample)])), ...(await router.route([loadSample(sample)], router.busName))];
      const reached = [...new Set(routed.map((r) => r.functionName))];
      if (folder === 'unmatched') assert.deepEqual(reached, [], `${sample} must reach no function`);
      else if (ruled.has(folder)) assert.deepEqual(reached, [folder], `${sample} must reach ${folder} only`);
    }
  });
});

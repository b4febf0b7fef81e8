/**
 * What each Lambda bundle carries, from esbuild's metafile of the bundle `sam build` would make: never the
 * local account, CLI or benches; the event functions none of the sweep-only compliance capability (nor the
 * IAM client it alone needs); the notifier no check and no engine. Every function is bundled once.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { functionBundles, type FunctionBundle } from '../support/bundles.ts';
import { checkFiles } from '../support/import-graph.ts';

const EVENT_FUNCTIONS = ['on-sg-event', 'on-asg-event', 'on-cluster-event'];
/**
 * The check-name catalog (shared/capabilities/names.ts) is in every function by design: configuration and
 * exemption tags are validated against every check name, loaded or not. It is names only.
 */
const CATALOG = 'shared/capabilities/compliance/names.ts';

let bundles: Map<string, FunctionBundle>;
const bundle = (name: string): FunctionBundle => {
  const b = bundles.get(name);
  assert.ok(b, `no esbuild function ${name} in template.yaml (built: ${[...bundles.keys()].join(', ')})`);
  return b;
};
const offending = (b: FunctionBundle, bad: (input: string) => boolean): string[] => b.inputs.filter(bad).map((input) => `${b.name}: ${input}`);

describe('Lambda bundles (esbuild metafile, sam build flags)', () => {
  before(() => {
    bundles = new Map(functionBundles().map((b) => [b.name, b]));
  });

  it('every function is bundled, and a bundle lists its handler and shared code (so the rules below see them)', () => {
    for (const name of [...EVENT_FUNCTIONS, 'notify', 'sweep']) {
      const b = bundle(name);
      assert.ok(b.inputs.includes(`functions/${name}/handler.ts`), `${name}: its handler is not an input of its bundle`);
      assert.ok(b.inputs.some((i) => i.startsWith('node_modules/')), `${name}: no package among its inputs`);
    }
    // The sweep loads compliance: the rules below would see it if an event function did.
    assert.ok(bundle('sweep').inputs.some((i) => i.startsWith('shared/capabilities/compliance/') && i !== CATALOG), 'the sweep bundle holds no compliance file');
    assert.ok(bundle('sweep').inputs.some((i) => i.startsWith('node_modules/@aws-sdk/client-iam/')), 'the sweep bundle holds no IAM client');
  });

  it('no bundle holds a file under dev/ (the local account, CLI, benches)', () => {
    const out = [...bundles.values()].flatMap((b) => offending(b, (i) => i.startsWith('dev/')));
    assert.deepEqual(out, [], `bundles holding dev/ files:\n  ${out.join('\n  ')}`);
  });

  it('the event functions hold nothing of the compliance capability (its names aside) and no IAM client', () => {
    const out = EVENT_FUNCTIONS.flatMap((name) => offending(bundle(name), (i) =>
      (i.startsWith('shared/capabilities/compliance/') && i !== CATALOG) || i.startsWith('node_modules/@aws-sdk/client-iam/')));
    assert.deepEqual(out, [], `event bundles holding sweep-only code:\n  ${out.join('\n  ')}`);
  });

  it('the notifier holds no check and no engine', () => {
    const checks = checkFiles();
    assert.ok(checks.length >= 10, `check files found: ${checks.join(', ')}`);
    const out = offending(bundle('notify'), (i) => checks.includes(i) || i.startsWith('shared/engine/'));
    assert.deepEqual(out, [], `the notify bundle holds checks or engine files:\n  ${out.join('\n  ')}`);
  });
});

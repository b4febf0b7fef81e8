/**
 * The layout, held by the import graph: core (types, engine, AWS adapters, events, config, state, metrics)
 * knows no capability; capabilities depend on each other in one direction only; checks are pure (no AWS
 * SDK, not even through a helper); production code never reaches the local account, CLI or benches in dev/.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkFiles, findCycle, groupGraph, parseImportGraph, reachable, specifiersOf, subgraph, type ImportGraph } from '../support/import-graph.ts';

const { graph, unresolved } = parseImportGraph(['shared', 'functions', 'dev', 'scripts']);

const under = (folder: string) => (file: string): boolean => file.startsWith(`${folder}/`);
const isProduction = (file: string): boolean => under('shared')(file) || under('functions')(file);

/** Core: shared/<folder>/ for these folders, and every file directly in shared/. */
const CORE_FOLDERS = ['types', 'engine', 'aws', 'events', 'config', 'state', 'metrics'];
/** The app layer: what core must not import (with functions/ and dev/). */
const APP_FOLDERS = ['capabilities', 'sweep', 'notify', 'lambda'];
const isCore = (file: string): boolean => /^shared\/[^/]+\.ts$/.test(file) || CORE_FOLDERS.some((f) => under(`shared/${f}`)(file));
const FORBIDDEN_TO_CORE = [...APP_FOLDERS.map((f) => `shared/${f}`), 'functions', 'dev'];

/** Which capability may import which: each edge must also keep the capability graph acyclic. */
const ALLOWED_CAPABILITY_IMPORTS: Record<string, readonly string[]> = {
  // nlb-preflight reads NLB rules as nlb-headroom counts them; scale-from-zero-readiness reads the autoscaler's tags.
  compliance: ['autoscaler', 'nlb-headroom'],
};
const capabilityOf = (file: string): string | undefined => /^shared\/capabilities\/([^/]+)\//.exec(file)?.[1];

const checks = checkFiles();

const edges = (g: ImportGraph, from: (file: string) => boolean, to: (target: string) => boolean): string[] =>
  [...g].flatMap(([file, targets]) => (from(file) ? targets.filter(to).map((t) => `${file} -> ${t}`) : []));

describe('the graph helper (so that the rules below can fail)', () => {
  it('reads static, type-only, re-export, dynamic and import-type specifiers, and skips a computed dynamic import', () => {
    const source = [
      "import { a } from './a.ts';",
      "import type { B } from '../b.ts';",
      "export { c } from './c.ts';",
      "export * from '@aws-sdk/client-iam';",
      "import './side-effect.ts';",
      "const d = await import('./d.ts');",
      "let e: import('./e.ts').E;",
      'const f = await import(`./${name}.ts`);',
    ].join('\n');
    assert.deepEqual(specifiersOf('x.ts', source), ['./a.ts', '../b.ts', './c.ts', '@aws-sdk/client-iam', './side-effect.ts', './d.ts', './e.ts']);
  });

  it('finds a cycle and prints it as a closed path; finds none in a graph without one', () => {
    const cyclic = new Map([['a', ['b']], ['b', ['c', 'd']], ['c', ['a']], ['d', []]]);
    assert.deepEqual(findCycle(cyclic), ['a', 'b', 'c', 'a']);
    assert.deepEqual(findCycle(new Map([['a', ['a']]])), ['a', 'a']);
    assert.equal(findCycle(new Map([['a', ['b', 'c']], ['b', ['c']], ['c', []]])), undefined);
  });

  it('reaches transitively, with the shortest chain; collapses files into groups', () => {
    const g = new Map([['a', ['b', 'x']], ['b', ['c']], ['c', ['a']], ['x', ['c']]]);
    assert.deepEqual(Object.fromEntries(reachable(g, 'a')), { b: ['a', 'b'], x: ['a', 'x'], c: ['a', 'b', 'c'] });
    const grouped = groupGraph(new Map([['p/1', ['p/2', 'q/1']], ['q/1', []], ['r', ['p/1']]]), (n) => (n.includes('/') ? n.split('/')[0] : undefined));
    assert.deepEqual(Object.fromEntries(grouped.graph), { p: ['q'], q: [] });
    assert.deepEqual(Object.fromEntries(grouped.evidence), { 'p -> q': 'p/1 -> q/1' });
  });
});

describe('the import graph of shared/, functions/, dev/ and scripts/', () => {
  it('resolves every relative import to a file (else the rules below would miss an edge)', () => {
    assert.ok(graph.size > 100, `only ${graph.size} files parsed`);
    assert.deepEqual(unresolved, [], `relative imports that name no file:\n  ${unresolved.join('\n  ')}`);
  });

  it('has no cycle among the files of shared/ and functions/', () => {
    const cycle = findCycle(subgraph(graph, isProduction));
    assert.equal(cycle, undefined, `import cycle:\n  ${cycle?.join('\n  -> ')}`);
  });

  it('shared/types/ is a leaf: it imports nothing outside shared/types/, not even a package', () => {
    const out = edges(graph, under('shared/types'), (t) => !under('shared/types')(t));
    assert.deepEqual(out, [], `shared/types/ imports from outside itself:\n  ${out.join('\n  ')}`);
  });

  it('core imports no capability, sweep, notifier, Lambda wiring, function or dev/ file', () => {
    // The folders that hold source files (an empty folder left in a working tree is no layer).
    const folders = [...new Set([...graph.keys()].filter((f) => f.startsWith('shared/') && f.split('/').length > 2).map((f) => f.split('/')[1]!))];
    const unclassified = folders.filter((f) => !CORE_FOLDERS.includes(f) && !APP_FOLDERS.includes(f));
    assert.deepEqual(unclassified, [], `shared/ folders neither core nor app layer (add each to CORE_FOLDERS or APP_FOLDERS in this test): ${unclassified.join(', ')}`);
    const out = edges(graph, isCore, (t) => FORBIDDEN_TO_CORE.some((f) => under(f)(t)));
    assert.deepEqual(out, [], `core imports the app layer:\n  ${out.join('\n  ')}`);
  });

  it('nothing under shared/ or functions/ imports from dev/', () => {
    const out = edges(graph, isProduction, under('dev'));
    assert.deepEqual(out, [], `production code imports dev/:\n  ${out.join('\n  ')}`);
  });

  it('a capability imports another only along an allowed direction, and the capability graph is acyclic', () => {
    const { graph: capabilities, evidence } = groupGraph(graph, capabilityOf);
    assert.ok(capabilities.size >= 4, `capability folders found: ${[...capabilities.keys()].join(', ')}`);
    const disallowed = [...capabilities].flatMap(([from, targets]) => targets
      .filter((to) => !(ALLOWED_CAPABILITY_IMPORTS[from] ?? []).includes(to))
      .map((to) => `${from} -> ${to} (${evidence.get(`${from} -> ${to}`)})`));
    assert.deepEqual(disallowed, [], `capability imports not in ALLOWED_CAPABILITY_IMPORTS:\n  ${disallowed.join('\n  ')}`);
    const cycle = findCycle(capabilities);
    assert.equal(cycle, undefined, `capability cycle: ${cycle?.join(' -> ')}`);
    const allowedCycle = findCycle(new Map(Object.entries(ALLOWED_CAPABILITY_IMPORTS)));
    assert.equal(allowedCycle, undefined, `ALLOWED_CAPABILITY_IMPORTS itself has a cycle: ${allowedCycle?.join(' -> ')}`);
  });

  it('check files reach neither the AWS SDK nor shared/aws/, even transitively (pure logic)', () => {
    assert.ok(checks.length >= 10, `check files found: ${checks.join(', ')}`);
    const impure = checks.flatMap((file) => [...reachable(graph, file)]
      .filter(([target]) => target.startsWith('@aws-sdk/') || under('shared/aws')(target))
      .map(([, chain]) => chain.join(' -> ')));
    assert.deepEqual(impure, [], `check files that reach the SDK:\n  ${impure.join('\n  ')}`);
  });
});

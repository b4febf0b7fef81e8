import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { buildAll, samEsbuildArgs, templateFunctions } from '../../scripts/build.ts';
import { builderOptions, esbuildArgs, SamBuildError, snakeCase } from '../../scripts/sam-esbuild.ts';
import { loadTemplate, type TemplateDocument } from '../../dev/local/template.ts';

const exists = (e: string) => e;
const args = (props: Record<string, unknown>, extra: { handler?: string; nodeOptions?: string } = {}) =>
  esbuildArgs(builderOptions({ buildProperties: props, ...extra }), '/out', exists);

describe('the esbuild flags sam build derives from BuildProperties', () => {
  it('PascalCase keys become snake_case, then kebab-case flags; values are passed on unchanged', () => {
    assert.equal(snakeCase('OutExtension'), 'out_extension');
    assert.equal(snakeCase('UseNpmCi'), 'use_npm_ci');
    assert.deepEqual(args({
      Format: 'esm', Minify: false, Target: 'es2023', Sourcemap: true, MainFields: 'module,main', External: ['@aws-sdk/*', 'pg'],
      OutExtension: ['.js=.mjs'], Banner: ['js=const a = 1;'], Platform: 'neutral', UseNpmCi: true, EntryPoints: ['src/a.ts', 'src/b.ts'],
    }), [
      'src/a.ts', 'src/b.ts', '--bundle', '--platform=node', '--outdir=/out',
      '--format=esm', '--target=es2023', '--sourcemap', '--main-fields=module,main', '--external:@aws-sdk/*', '--external:pg',
      '--out-extension:.js=.mjs', '--banner:js=const a = 1;',
    ]);
  });

  it('a list becomes one `--key:item` flag per item — so a list of main fields is a flag esbuild rejects', () => {
    assert.deepEqual(args({ MainFields: ['module', 'main'], Target: 'es2023', Format: 'esm', Minify: true, EntryPoints: ['a.ts'] }).filter((f) => f.startsWith('--main-fields')),
      ['--main-fields:module', '--main-fields:main']);
  });

  it('adds --target=es2020 --format=cjs --minify only for the keys the template leaves out', () => {
    assert.deepEqual(args({ EntryPoints: ['a.ts'] }), ['a.ts', '--bundle', '--platform=node', '--outdir=/out', '--target=es2020', '--format=cjs', '--minify']);
    assert.deepEqual(args({ EntryPoints: ['a.ts'], Minify: false, Format: 'esm' }), ['a.ts', '--bundle', '--platform=node', '--outdir=/out', '--target=es2020', '--format=esm']);
  });

  it('takes the entry point from Handler when EntryPoints is absent, and Sourcemap from NODE_OPTIONS', () => {
    assert.deepEqual(args({ Format: 'esm', Target: 'es2023', Minify: true }, { handler: 'app.handler', nodeOptions: '--enable-source-maps' }),
      ['app', '--bundle', '--platform=node', '--outdir=/out', '--format=esm', '--target=es2023', '--minify', '--sourcemap']);
    assert.ok(!args({ Sourcemap: false, EntryPoints: ['a.ts'] }, { nodeOptions: '--enable-source-maps' }).includes('--sourcemap'), 'an explicit false stays');
  });

  it('External: [./node_modules/*] marks every package.json dependency external, first', () => {
    const opts = builderOptions({ buildProperties: { External: ['./node_modules/*'], Format: 'esm', EntryPoints: ['a.ts'] } });
    assert.deepEqual(esbuildArgs(opts, '/out', exists, ['zod', '@middy/core']),
      ['--external:zod', '--external:@middy/core', 'a.ts', '--bundle', '--platform=node', '--outdir=/out', '--target=es2020', '--minify', '--format=esm']);
  });

  it('refuses what sam build refuses: a number, no entry points, a missing entry file', () => {
    assert.throws(() => args({ Target: 2020, EntryPoints: ['a.ts'] }), (e: Error) => e instanceof SamBuildError && /Failed to determine the type/.test(e.message));
    assert.throws(() => args({ Format: 'esm' }), /entry_points not set/);
    assert.throws(() => args({ EntryPoints: [] }), /must not be empty/);
    assert.throws(() => esbuildArgs(builderOptions({ buildProperties: { EntryPoints: ['gone.ts'] } }), '/out', () => undefined), /entry point gone.ts does not exist/);
  });

  it('template.yaml: every function gets flags esbuild accepts (no list-form flag that may only be given once)', () => {
    const fns = templateFunctions(loadTemplate());
    assert.equal(fns.length, 5);
    for (const fn of fns) {
      const flags = samEsbuildArgs(fn, '/out');
      assert.equal(flags[0], `functions/${fn.name}/handler.ts`);
      assert.ok(flags.includes('--main-fields=module,main') && flags.includes('--format=esm') && flags.includes('--out-extension:.js=.mjs'), flags.join(' '));
      assert.ok(!flags.some((f) => /^--(main-fields|format|target|platform|sourcemap|minify):/.test(f)), flags.join(' '));
    }
  });
});

describe('npm run build (the esbuild binary with those flags, then a Lambda-style load)', () => {
  const outRoots: string[] = [];
  const outRoot = () => { const d = mkdtempSync(join(tmpdir(), 'sam-build-test-')); outRoots.push(d); return d; };
  after(() => { for (const d of outRoots) rmSync(d, { recursive: true, force: true }); });

  /** The template with only the notify function (the smallest bundle), changed by `edit`. */
  function notifyOnly(edit: (fn: TemplateDocument['Resources'][string]) => void): TemplateDocument {
    const template = structuredClone(loadTemplate());
    const fn = template.Resources.NotifyFunction!;
    edit(fn);
    return { ...template, Resources: { NotifyFunction: fn } };
  }

  it('builds all five functions of template.yaml; each loads as Lambda loads it and exports the Handler as a function', () => {
    const built = buildAll(loadTemplate(), outRoot());
    assert.deepEqual(built.map((b) => b.name).sort(), ['notify', 'on-asg-event', 'on-cluster-event', 'on-sg-event', 'sweep']);
    for (const b of built) {
      assert.equal(basename(b.file), 'handler.mjs', b.name);
      assert.ok(b.bytes > 10_000, `${b.name}: ${b.bytes} bytes`);
    }
  });

  it('a list of MainFields (what sam build cannot run) fails the build with esbuild\'s own message', () => {
    const template = notifyOnly((fn) => { (fn.Metadata!.BuildProperties as Record<string, unknown>).MainFields = ['module', 'main']; });
    assert.throws(() => buildAll(template, outRoot()), (e: Error) => e instanceof SamBuildError && /Invalid build flag: "--main-fields:module"/.test(e.message));
  });

  it('a Handler naming an export the bundle lacks fails the build', () => {
    const template = notifyOnly((fn) => { fn.Properties = { ...fn.Properties, Handler: 'handler.main' }; });
    assert.throws(() => buildAll(template, outRoot()), (e: Error) => e instanceof SamBuildError && /Handler handler\.main is undefined or not exported/.test(e.message));
  });

  it('a Handler naming a file the build does not produce fails the build', () => {
    const template = notifyOnly((fn) => { fn.Properties = { ...fn.Properties, Handler: 'index.handler' }; });
    assert.throws(() => buildAll(template, outRoot()), (e: Error) => e instanceof SamBuildError && /could not load Handler index\.handler: .*Cannot find module 'index'/.test(e.message));
  });
});

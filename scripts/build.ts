/**
 * `npm run build`: every function of template.yaml built as `sam build` builds it — the esbuild binary with
 * the flags aws-lambda-builders derives from the function's `Metadata.BuildProperties` (scripts/sam-esbuild.ts)
 * — into dist/<function>/, then loaded on Node the way the Lambda runtime loads it, from a directory
 * without a package.json (like /var/task), checking the export its `Handler` names is a function.
 * A template change that `sam build` or Lambda would reject fails here.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { functionNameOf, loadTemplate, type TemplateDocument } from '../dev/local/template.ts';
import { builderOptions, esbuildArgs, SamBuildError, type SamFunction } from './sam-esbuild.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const ESBUILD = join(root, 'node_modules/.bin/esbuild');
const LOADER = join(root, 'scripts/lambda-load.cjs');

export interface BuiltFunction {
  logicalId: string;
  name: string;
  /** The file Lambda loads (relative to the build directory it was checked in). */
  file: string;
  bytes: number;
  /** The esbuild arguments `sam build` would use (outdir aside). */
  args: string[];
}

export interface TemplateFunction extends SamFunction {
  logicalId: string;
  name: string;
  runtime?: string;
  codeUri: string;
  handler: string;
}

/** The esbuild-built functions of a template, with the Globals SAM merges into them. */
export function templateFunctions(template: TemplateDocument): TemplateFunction[] {
  const globals = template.Globals?.Function ?? {};
  const out: TemplateFunction[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::Serverless::Function' || resource.Metadata?.BuildMethod !== 'esbuild') continue;
    const props = resource.Properties ?? {};
    const pick = <T>(key: string): T | undefined => (props[key] ?? globals[key]) as T | undefined;
    const env = (o: Record<string, unknown>) => ((o.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {});
    const nodeOptions = env(props).NODE_OPTIONS ?? env(globals).NODE_OPTIONS;
    out.push({
      logicalId,
      name: functionNameOf(resource) ?? logicalId,
      runtime: pick<string>('Runtime'),
      codeUri: pick<string>('CodeUri') ?? '.',
      handler: pick<string>('Handler') ?? '',
      buildProperties: (resource.Metadata.BuildProperties ?? {}) as Record<string, unknown>,
      nodeOptions: typeof nodeOptions === 'string' ? nodeOptions : undefined,
    });
  }
  return out;
}

/** The esbuild arguments for one function, entry points resolved in its code directory as SAM does. */
export function samEsbuildArgs(fn: TemplateFunction, outdir: string): string[] {
  const codeDir = join(root, fn.codeUri);
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  return esbuildArgs(builderOptions(fn), outdir, (entry) => {
    if (extname(entry)) return existsSync(join(codeDir, entry)) ? entry : undefined;
    return ['.ts', '.js'].map((ext) => entry + ext).find((e) => existsSync(join(codeDir, e)));
  }, Object.keys(manifest.dependencies ?? {}));
}

/**
 * Runs the esbuild binary for one function as `sam build` does (its flags, in its code directory), plus
 * `extraArgs` (the tests add `--metafile`); returns the `sam build` arguments.
 */
export function esbuildFunction(fn: TemplateFunction, outdir: string, extraArgs: readonly string[] = []): string[] {
  const args = samEsbuildArgs(fn, outdir);
  const r = spawnSync(ESBUILD, [...args, ...extraArgs], { cwd: join(root, fn.codeUri), encoding: 'utf8' });
  if (r.status !== 0) throw new SamBuildError(`${fn.logicalId}: esbuild failed: ${(r.stderr || String(r.error)).trim()}\n  esbuild ${args.join(' ')}`);
  return args;
}

function nodeMajor(runtime: string | undefined): number | undefined {
  const m = /^nodejs(\d+)\.x$/.exec(runtime ?? '');
  return m ? Number(m[1]) : undefined;
}

/** Loads the built function as the Lambda runtime would, from a copy in a directory with no package.json. */
function checkLoads(fn: TemplateFunction, outdir: string): string {
  const want = nodeMajor(fn.runtime);
  const have = Number(process.versions.node.split('.')[0]);
  if (want !== undefined && want !== have) {
    throw new SamBuildError(`${fn.logicalId}: Runtime ${fn.runtime} but this is Node ${process.versions.node}; run the build with the project's Node (npm run build)`);
  }
  const taskRoot = mkdtempSync(join(tmpdir(), `lambda-task-${fn.name}-`));
  try {
    cpSync(outdir, taskRoot, { recursive: true });
    const r = spawnSync(process.execPath, [LOADER, taskRoot, fn.handler], {
      cwd: taskRoot, encoding: 'utf8', timeout: 120_000,
      env: { PATH: process.env.PATH ?? '', AWS_REGION: 'us-east-1', LAMBDA_TASK_ROOT: taskRoot, POWERTOOLS_LOG_LEVEL: 'SILENT' },
    });
    if (r.status !== 0) throw new SamBuildError(`${fn.logicalId}: Lambda could not load Handler ${fn.handler}: ${(r.stderr || String(r.error)).trim().split('\n').slice(0, 3).join(' | ')}`);
    const loaded = JSON.parse(r.stdout) as { file: string; exportType: string };
    if (loaded.exportType !== 'function') throw new SamBuildError(`${fn.logicalId}: Handler ${fn.handler} is ${loaded.exportType === 'undefined' ? 'undefined or not exported' : `not a function (${loaded.exportType})`} in ${loaded.file}`);
    return loaded.file;
  } finally {
    rmSync(taskRoot, { recursive: true, force: true });
  }
}

/** Builds (and load-checks) every esbuild function of `template` into `<outRoot>/<function>/`. */
export function buildAll(template: TemplateDocument = loadTemplate(), outRoot = join(root, 'dist')): BuiltFunction[] {
  rmSync(outRoot, { recursive: true, force: true });
  const built: BuiltFunction[] = [];
  for (const fn of templateFunctions(template)) {
    const outdir = join(outRoot, fn.name);
    mkdirSync(outdir, { recursive: true });
    const args = esbuildFunction(fn, outdir);
    const file = checkLoads(fn, outdir);
    built.push({ logicalId: fn.logicalId, name: fn.name, file: join(outdir, file), bytes: statSync(join(outdir, file)).size, args: args.map((a) => a.replace(outdir, '<outdir>')) });
  }
  if (built.length === 0) throw new SamBuildError('no function with BuildMethod: esbuild in the template');
  return built;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    for (const b of buildAll()) console.log(`${b.name.padEnd(18)} ${(b.bytes / 1024).toFixed(1).padStart(8)} KiB  ${b.file.replace(root, '')}  (loads; its Handler export is a function)`);
  } catch (err) {
    console.error(err instanceof SamBuildError ? `build failed: ${err.message}` : err);
    process.exit(1);
  }
}

/**
 * The esbuild command line `sam build` runs for a function with `BuildMethod: esbuild`, derived from the
 * template exactly as aws-sam-cli and aws-lambda-builders derive it — so `npm run build` fails where
 * `sam build` would. Pure: no file system, no process.
 *
 * aws-sam-cli (samcli/lib/build/app_builder.py `_get_build_options`,
 * samcli/lib/samlib/resource_metadata_normalizer.py `normalize_build_properties`): `BuildProperties` keys
 * PascalCase → snake_case, values unchanged; no `EntryPoints` → the handler's file.
 * samcli/lib/build/bundler.py `set_sourcemap_metadata_from_env`: no `Sourcemap` but
 * `NODE_OPTIONS` has `--enable-source-maps` → `Sourcemap: true`.
 * aws-lambda-builders (aws_lambda_builders/workflows/nodejs_npm_esbuild/esbuild.py `EsbuildCommandBuilder`,
 * actions.py `EsbuildBundleAction.execute`): entry points, then `--bundle --platform=node --outdir=…`, then
 * `--target=es2020 --format=cjs --minify` for each of those keys that is absent, then every other key in the
 * template's order: `true` → `--key`, `false` → nothing, a string → `--key=value`, a list → `--key:item` per
 * item, snake_case → kebab-case; `bundle`, `platform`, `outdir`, `use_npm_ci`, `entry_points` are not passed
 * on; any other type is an error; `External: ['./node_modules/*']` becomes one `--external:` per package.json
 * dependency. esbuild runs in the function's code directory.
 */

export type BuildPropertyValue = boolean | string | readonly unknown[];

export class SamBuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SamBuildError';
  }
}

/** aws-lambda-builders sets these itself, so Lambda can consume the output. */
const NON_CONFIGURABLE = new Set(['bundle', 'platform', 'outdir']);
/** Options for the Node.js workflows that are not esbuild's. */
const IGNORED = new Set(['use_npm_ci', 'entry_points']);

/** `OutExtension` → `out_extension` (resource_metadata_normalizer.py's `(?<!^)(?=[A-Z])` → `_`, lower-cased). */
export function snakeCase(key: string): string {
  return key.replace(/(?<!^)(?=[A-Z])/g, '_').toLowerCase();
}

export interface SamFunction {
  /** `Metadata.BuildProperties` as written in the template. */
  buildProperties: Record<string, unknown>;
  /** `Handler` of the function (or Globals): `file.export`. */
  handler?: string;
  /** `NODE_OPTIONS` of the function's environment (or Globals'). */
  nodeOptions?: string;
}

/** The options aws-lambda-builders receives for one function (snake_case keys, template order). */
export function builderOptions(fn: SamFunction): Record<string, unknown> {
  const props: Record<string, unknown> = { ...fn.buildProperties };
  if (props.Sourcemap === undefined && /(^|\s)--enable-source-maps(\s|$)/.test(fn.nodeOptions ?? '')) props.Sourcemap = true;
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(props)) options[snakeCase(key)] = value;
  if (fn.handler && !props.EntryPoints) options.entry_points = [fn.handler.split('.')[0]];
  return options;
}

/** Python's `str()` of a list item, as the f-string in `_create_list_config` renders it. */
function pythonStr(item: unknown): string {
  if (typeof item === 'boolean') return item ? 'True' : 'False';
  return String(item);
}

function configArgs(key: string, value: unknown): string[] {
  const flag = `--${key.replace(/_/g, '-')}`;
  if (typeof value === 'boolean') return value ? [flag] : [];
  if (typeof value === 'string') return [`${flag}=${value}`];
  if (Array.isArray(value)) return value.map((item) => `${flag}:${pythonStr(item)}`);
  throw new SamBuildError(`Failed to determine the type of the configuration ${key}: ${JSON.stringify(value)} (a boolean, a string or a list)`);
}

/**
 * The arguments after `esbuild` for one function. `resolveEntryPoint` resolves each entry point the way
 * `_get_explicit_file_type` does (as written when it has an extension and exists, else `.ts` then `.js`);
 * it returns undefined when none exists.
 */
export function esbuildArgs(options: Record<string, unknown>, outdir: string, resolveEntryPoint: (entry: string) => string | undefined, dependencies: readonly string[] = []): string[] {
  const args: string[] = [];
  // actions.py `_should_bundle_deps_externally`: `External: ['./node_modules/*']` marks every package.json
  // dependency external (these flags come first) and drops the `external` key.
  if (Array.isArray(options.external) && options.external.includes('./node_modules/*')) {
    args.push(...dependencies.map((d) => `--external:${d}`));
    options = Object.fromEntries(Object.entries(options).filter(([k]) => k !== 'external'));
  }
  const entryPoints = options.entry_points;
  if (entryPoints === undefined) throw new SamBuildError(`entry_points not set (${JSON.stringify(options)})`);
  if (!Array.isArray(entryPoints)) throw new SamBuildError(`entry_points must be a list (${JSON.stringify(options)})`);
  if (entryPoints.length === 0) throw new SamBuildError(`entry_points must not be empty (${JSON.stringify(options)})`);
  for (const entry of entryPoints as unknown[]) {
    const resolved = resolveEntryPoint(String(entry));
    if (!resolved) throw new SamBuildError(`entry point ${String(entry)} does not exist`);
    args.push(resolved);
  }
  args.push('--bundle', '--platform=node', `--outdir=${outdir}`);
  if (!('target' in options)) args.push('--target=es2020');
  if (!('format' in options)) args.push('--format=cjs');
  if (!('minify' in options)) args.push('--minify');
  for (const [key, value] of Object.entries(options)) {
    if (NON_CONFIGURABLE.has(key) || IGNORED.has(key)) continue;
    args.push(...configArgs(key, value));
  }
  return args;
}

/**
 * Lambda bundles as `sam build` makes them — scripts/build.ts `esbuildFunction`, the esbuild binary with the
 * flags derived from each function's `Metadata.BuildProperties` — plus esbuild's metafile, which says which
 * source and package files each bundle reached (https://esbuild.github.io/api/#metafile).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Metafile } from 'esbuild';
import { esbuildFunction, templateFunctions, type TemplateFunction } from '../../scripts/build.ts';
import { loadTemplate, type TemplateDocument } from '../../dev/local/template.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The metafile of one function's bundle, built with exactly the esbuild flags `sam build` derives. */
export function bundleMetafile(fn: TemplateFunction): Metafile {
  const dir = mkdtempSync(join(tmpdir(), `bundle-${fn.name}-`));
  try {
    esbuildFunction(fn, dir, [`--metafile=${join(dir, 'meta.json')}`]);
    return JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as Metafile;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface FunctionBundle {
  /** The function's folder name under functions/ (`on-sg-event`). */
  name: string;
  /**
   * Every file esbuild reached, as a repository path (`shared/engine/plan.ts`) or, for a package, from
   * `node_modules/` on (`node_modules/@aws-sdk/client-ec2/…`) wherever the installed tree really is.
   */
  inputs: string[];
}

/** Every esbuild function of the template, bundled once, with the files its bundle reached. */
export function functionBundles(template: TemplateDocument = loadTemplate()): FunctionBundle[] {
  return templateFunctions(template).map((fn) => {
    const cwd = join(root, fn.codeUri);
    const inputs = Object.keys(bundleMetafile(fn).inputs).map((input) => {
      const path = relative(root, resolve(cwd, input)).split(sep).join('/');
      const packages = path.indexOf('node_modules/');
      return packages >= 0 ? path.slice(packages) : path;
    });
    return { name: fn.name, inputs };
  });
}

/**
 * `npm run build`: bundles every function with the esbuild options template.yaml gives SAM, into dist/<function>/.
 * Reading the options from the template keeps the local bundles identical to what `sam build` produces.
 */
import { build, type BuildOptions } from 'esbuild';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { functionNameOf, loadTemplate } from '../shared/local/template.ts';

interface SamBuildProperties {
  Format?: 'esm' | 'cjs';
  Minify?: boolean;
  Target?: string;
  Platform?: 'node';
  Sourcemap?: boolean;
  OutExtension?: string[];
  Banner?: string[];
  External?: string[];
  MainFields?: string[];
  EntryPoints: string[];
}

const root = fileURLToPath(new URL('..', import.meta.url));

/** `['js=…']` (SAM's form) → `{ js: '…' }` (esbuild's). */
function pairs(list: string[] | undefined): Record<string, string> | undefined {
  if (!list) return undefined;
  return Object.fromEntries(list.map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]));
}

export function esbuildOptions(props: SamBuildProperties, outdir: string): BuildOptions {
  return {
    entryPoints: props.EntryPoints.map((e) => `${root}${e}`),
    bundle: true,
    outdir,
    format: props.Format ?? 'esm',
    minify: props.Minify ?? false,
    target: props.Target ?? 'es2023',
    platform: props.Platform ?? 'node',
    sourcemap: props.Sourcemap ?? false,
    outExtension: pairs(props.OutExtension),
    banner: pairs(props.Banner),
    external: props.External,
    // ES module entry points let esbuild drop the SDK commands a function never sends.
    mainFields: props.MainFields,
    metafile: true,
    logLevel: 'warning',
  };
}

export async function buildAll(): Promise<{ name: string; file: string; bytes: number }[]> {
  const template = loadTemplate();
  rmSync(`${root}dist`, { recursive: true, force: true });
  const out: { name: string; file: string; bytes: number }[] = [];
  for (const resource of Object.values(template.Resources)) {
    if (resource.Type !== 'AWS::Serverless::Function' || resource.Metadata?.BuildMethod !== 'esbuild') continue;
    const name = functionNameOf(resource)!;
    const props = resource.Metadata.BuildProperties as SamBuildProperties;
    const outdir = `${root}dist/${name}`;
    mkdirSync(outdir, { recursive: true });
    await build(esbuildOptions(props, outdir));
    const ext = pairs(props.OutExtension)?.['.js'] ?? '.js';
    const file = `${outdir}/handler${ext}`;
    out.push({ name, file, bytes: statSync(file).size });
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const b of await buildAll()) console.log(`${b.name.padEnd(18)} ${(b.bytes / 1024).toFixed(1).padStart(8)} KiB  ${b.file.replace(root, '')}`);
}

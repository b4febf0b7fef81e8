/**
 * The file import graph of the repository, read from source with the TypeScript parser (no type checking):
 * static imports and `export … from` (type-only ones too — a type import still ties one folder to another),
 * dynamic `import('…')` with a string literal, and `import('…')` types. Relative specifiers resolve to
 * repository paths (`shared/engine/plan.ts`); anything else is a package, kept as written (`@aws-sdk/client-ec2`).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** file → what it imports: repository paths (forward slashes) or package specifiers. */
export type ImportGraph = ReadonlyMap<string, readonly string[]>;

export interface ParsedGraph {
  graph: ImportGraph;
  /** Relative specifiers that name no file: `file: specifier`. */
  unresolved: string[];
}

const isRelative = (specifier: string): boolean => specifier.startsWith('./') || specifier.startsWith('../');
const repoPath = (absolute: string): string => relative(ROOT, absolute).split(sep).join('/');

/** Every `.ts` file under the given repository folders, as repository paths. */
export function tsFilesUnder(folders: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && entry.name.endsWith('.ts')) out.push(repoPath(path));
    }
  };
  for (const folder of folders) walk(join(ROOT, folder));
  return out.sort();
}

/**
 * The check files: those under shared/capabilities that define a `Check` (`…: Check = {`). Found by text,
 * not by importing the registry, because the rules need their paths.
 */
export function checkFiles(): string[] {
  return tsFilesUnder(['shared/capabilities']).filter((f) => readFileSync(join(ROOT, f), 'utf8').includes(': Check = {'));
}

/** The module specifiers a source file names (see the header for which forms count). */
export function specifiersOf(fileName: string, source: string): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      out.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = node.arguments;
      if (arg && ts.isStringLiteralLike(arg)) out.push(arg.text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      out.push(node.argument.literal.text);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      out.push(node.moduleReference.expression.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return out;
}

/** A relative specifier as Node's ESM loader and esbuild resolve it here: the file as written, else `.ts`, else `index.ts`. */
function resolveRelative(fromFile: string, specifier: string): string | undefined {
  const base = resolve(ROOT, dirname(fromFile), specifier);
  for (const candidate of [base, `${base}.ts`, join(base, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return repoPath(candidate);
  }
  return undefined;
}

/** The import graph of every `.ts` file under `folders`. */
export function parseImportGraph(folders: readonly string[]): ParsedGraph {
  const graph = new Map<string, string[]>();
  const unresolved: string[] = [];
  for (const file of tsFilesUnder(folders)) {
    const targets = new Set<string>();
    for (const specifier of specifiersOf(file, readFileSync(join(ROOT, file), 'utf8'))) {
      if (!isRelative(specifier)) { targets.add(specifier); continue; }
      const target = resolveRelative(file, specifier);
      if (target) targets.add(target);
      else unresolved.push(`${file}: ${specifier}`);
    }
    graph.set(file, [...targets]);
  }
  return { graph, unresolved };
}

/** The graph restricted to edges whose both ends satisfy `keep`. */
export function subgraph(graph: ImportGraph, keep: (node: string) => boolean): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [from, targets] of graph) if (keep(from)) out.set(from, targets.filter(keep));
  return out;
}

/** One cycle of the graph as a closed path (`[a, b, a]`), or undefined when it has none. Iterative DFS. */
export function findCycle(graph: ImportGraph): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  for (const start of [...graph.keys()].sort()) {
    if (state.has(start)) continue;
    const path: string[] = [start];
    const next: number[] = [0];
    state.set(start, 'open');
    while (path.length > 0) {
      const node = path[path.length - 1]!;
      const targets = graph.get(node) ?? [];
      const i = next[next.length - 1]!;
      if (i >= targets.length) {
        state.set(node, 'done');
        path.pop();
        next.pop();
        continue;
      }
      next[next.length - 1] = i + 1;
      const target = targets[i]!;
      const seen = state.get(target);
      if (seen === 'open') return [...path.slice(path.indexOf(target)), target];
      if (seen === undefined) {
        state.set(target, 'open');
        path.push(target);
        next.push(0);
      }
    }
  }
  return undefined;
}

/**
 * Everything `start` reaches, each with the import chain that reaches it first (breadth-first, so the
 * shortest): `reached.get(x)` is `[start, …, x]`.
 */
export function reachable(graph: ImportGraph, start: string): Map<string, string[]> {
  const reached = new Map<string, string[]>([[start, [start]]]);
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const target of graph.get(node) ?? []) {
      if (reached.has(target)) continue;
      reached.set(target, [...reached.get(node)!, target]);
      queue.push(target);
    }
  }
  reached.delete(start);
  return reached;
}

/** The graph collapsed to groups (`groupOf` undefined: left out); self-edges dropped. Each edge keeps one file edge as evidence. */
export function groupGraph(graph: ImportGraph, groupOf: (node: string) => string | undefined): { graph: Map<string, string[]>; evidence: Map<string, string> } {
  const out = new Map<string, string[]>();
  const evidence = new Map<string, string>();
  for (const [from, targets] of graph) {
    const a = groupOf(from);
    if (a === undefined) continue;
    if (!out.has(a)) out.set(a, []);
    for (const target of targets) {
      const b = groupOf(target);
      if (b === undefined || b === a) continue;
      if (!out.get(a)!.includes(b)) out.get(a)!.push(b);
      if (!evidence.has(`${a} -> ${b}`)) evidence.set(`${a} -> ${b}`, `${from} -> ${target}`);
    }
  }
  return { graph: out, evidence };
}

// Loads a built function the way the Lambda Node.js runtime does, from a task root with no package.json
// (aws-lambda-nodejs-runtime-interface-client src/UserFunction.js `_tryRequire` and `load`), and prints
// which file it loaded and the type of the export the handler names. CommonJS on purpose: the runtime
// require()s the bare name, `.js` and `.cjs`, and import()s `.mjs`.
// Usage: node scripts/lambda-load.cjs <task root> <Handler>
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

async function main() {
  const [taskRoot, handler] = process.argv.slice(2);
  const match = /^([^.]*)\.(.*)$/.exec(path.basename(handler));
  if (!match) throw new Error(`Bad handler ${handler}`);
  const base = path.resolve(taskRoot, path.dirname(handler), match[1]);
  const tries = [['', 'require'], ['.js', 'require'], ['.mjs', 'import'], ['.cjs', 'require']];
  for (const [ext, how] of tries) {
    const file = base + ext;
    if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) continue;
    const mod = how === 'require' ? require(file) : await import(pathToFileURL(file).href);
    const fn = match[2].split('.').reduce((o, k) => (o == null ? undefined : o[k]), mod);
    process.stdout.write(JSON.stringify({ file: path.basename(file), loadedAs: how, exportType: typeof fn }));
    return;
  }
  throw new Error(`Cannot find module '${path.basename(base)}' (tried ${tries.map(([e]) => path.basename(base) + e).join(', ')})`);
}

main().catch((err) => {
  process.stderr.write(`${err && err.stack ? err.stack : String(err)}\n`);
  process.exit(1);
});

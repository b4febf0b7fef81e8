/**
 * Unit tests mirror the source tree file for file: the unit test of `<path>/<name>.ts` is
 * `test/unit/<path>/<name>.test.ts` (a property-based one may be `<name>.property.test.ts`). The test of a file
 * is then found by its path, one module never has its tests spread over several files, and a test whose
 * source moved or went away fails here instead of lingering under an old name. Helpers and fixtures that
 * are not tests live in test/support/; scenarios across modules in test/integration/.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const UNIT = 'test/unit';

/** Every file under a repository folder, as repository paths (forward slashes), sorted. */
function filesUnder(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

/** The source file a unit test tests, by its path; undefined for a file that is not a unit test. */
function sourceOf(testFile: string): string | undefined {
  const m = /^test\/unit\/(.+?)(?:\.property)?\.test\.ts$/.exec(testFile);
  return m ? `${m[1]}.ts` : undefined;
}

describe('the test-to-source mapping (so that the rules below can fail)', () => {
  it('strips test/unit/ and .test.ts or .property.test.ts, and keeps the rest of the path', () => {
    assert.equal(sourceOf('test/unit/shared/engine/plan.test.ts'), 'shared/engine/plan.ts');
    assert.equal(sourceOf('test/unit/dev/local/moto.test.ts'), 'dev/local/moto.ts');
    assert.equal(sourceOf('test/unit/functions/on-sg-event/handler.test.ts'), 'functions/on-sg-event/handler.ts');
    assert.equal(sourceOf('test/unit/shared/capabilities/nlb-headroom/nlb-rule-headroom.property.test.ts'), 'shared/capabilities/nlb-headroom/nlb-rule-headroom.ts');
  });

  it('maps nothing that is not a unit test', () => {
    for (const file of ['test/unit/shared/fixtures.ts', 'test/unit/shared/plan.test.js', 'test/integration/sweep.test.ts', 'shared/engine/plan.ts']) {
      assert.equal(sourceOf(file), undefined, file);
    }
  });
});

describe('unit tests mirror the source tree', () => {
  const files = filesUnder(UNIT);

  it('finds the unit tests', () => {
    assert.ok(files.length > 50, `only ${files.length} files under ${UNIT}`);
  });

  it(`${UNIT} holds only tests (helpers and fixtures belong in test/support/)`, () => {
    const others = files.filter((file) => sourceOf(file) === undefined);
    assert.deepEqual(others, [], `not a <name>.test.ts under ${UNIT}:\n  ${others.join('\n  ')}`);
  });

  it('every unit test sits at the path of the source file it tests', () => {
    const orphans = files.flatMap((file) => {
      const source = sourceOf(file);
      if (source === undefined) return [];
      if (source.startsWith('test/')) return [`${file}: tests test code (${source}); unit tests are of source files`];
      return existsSync(join(ROOT, source)) ? [] : [`${file}: no source file ${source}`];
    });
    assert.deepEqual(orphans, [], `unit tests not at their source's path (test/unit/<path>/<name>.test.ts for <path>/<name>.ts):\n  ${orphans.join('\n  ')}`);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeControl, escapeJsonControl } from '../../../shared/text.ts';

describe('escapeControl', () => {
  it('makes every control character and bidi override visible, and leaves other text alone', () => {
    assert.equal(escapeControl('a\u001b[31mb\u0000c\u0085d\u202ee\u2066f'), 'a\\u{1b}[31mb\\u{0}c\\u{85}d\\u{202e}e\\u{2066}f');
    assert.equal(escapeControl('prod-eu · sg-0abc (übung) 日本'), 'prod-eu · sg-0abc (übung) 日本');
  });

  it('keeps JSON valid while escaping what JSON.stringify leaves raw', () => {
    const line = escapeJsonControl(JSON.stringify({ message: 'x\u009b2Jy\u202ez\u001b' }));
    assert.doesNotMatch(line, /[\u0000-\u001f\u007f-\u009f\u202e]/);
    assert.deepEqual(JSON.parse(line), { message: 'x\u009b2Jy\u202ez\u001b' });
  });
});

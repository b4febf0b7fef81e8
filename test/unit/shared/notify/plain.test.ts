import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { message, section } from '../../../../shared/notify/blocks.ts';
import { previewMessage } from '../../../../shared/notify/plain.ts';

describe('terminal preview of a Slack message', () => {
  it('escapes control characters a tag value carried into the message', () => {
    const text = previewMessage(message('t', [section('owner *\u001b]0;x\u0007team\u001b[2J*\nnext line')]));
    assert.doesNotMatch(text, /[\u0000-\u0009\u000b-\u001f]/);
    assert.equal(text, 'owner \\u{1b}]0;x\\u{7}team\\u{1b}[2J\nnext line');
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MotoServer } from '../../../../dev/local/moto.ts';
import { withEnv } from '../../../../dev/local/env.ts';

describe('the local account harness', () => {
  it('fails loudly, with how to install moto, when python or moto is missing', async () => {
    await withEnv({ PYTHON: '/nonexistent/python3' }, async () => {
      await assert.rejects(MotoServer.start(), /pip install "moto\[server\]"/);
    });
  });
});

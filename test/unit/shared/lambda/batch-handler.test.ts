import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asSqsEvent, lambdaContext } from '../../../../dev/cli/lambda-context.ts';
import { lambdaBatchHandler, type BatchRecord } from '../../../../shared/lambda/batch-handler.ts';

describe('lambdaBatchHandler', () => {
  it('hands the flow the whole batch and reports only the records it (or JSON parsing) failed', async () => {
    let seen: BatchRecord[] = [];
    const handler = lambdaBatchHandler('t', async (records) => {
      seen = records;
      return { failedMessageIds: [records[1]!.messageId], result: { n: records.length } };
    });
    const batch = asSqsEvent([{ a: 1 }, { a: 2 }, { a: 3 }], 'q');
    batch.Records[2]!.body = 'not json';
    const out = (await handler(batch, lambdaContext('t'))) as { n: number; batchItemFailures: { itemIdentifier: string }[] };
    assert.deepEqual(seen.map((r) => r.event), [{ a: 1 }, { a: 2 }]);
    assert.equal(out.n, 2);
    assert.deepEqual(out.batchItemFailures.map((f) => f.itemIdentifier).sort(), [batch.Records[1]!.messageId, batch.Records[2]!.messageId].sort());
  });

  it('runs a direct invocation as a batch of one and throws when it fails', async () => {
    const ok = lambdaBatchHandler('t', async (records) => ({ failedMessageIds: [], result: { events: records.map((r) => r.event) } }));
    assert.deepEqual(await ok({ id: 'x' }, lambdaContext('t')), { events: [{ id: 'x' }] });
    const failing = lambdaBatchHandler('t', async (records) => ({ failedMessageIds: records.map((r) => r.messageId), result: {} }));
    await assert.rejects(failing({ id: 'x' }, lambdaContext('t')), /could not be processed/);
  });
});

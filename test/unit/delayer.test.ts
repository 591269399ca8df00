import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Delayer } from '../../src/common/delayer';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('a batch runs once, a delay after the first call of a burst', async () => {
  let runs = 0;
  const batch = new Delayer(() => runs++, 30);
  batch.schedule();
  await tick(20);
  batch.schedule();
  assert.equal(batch.pending, true);
  await tick(20);
  assert.equal(runs, 1, 'the second call joined the first instead of starting over');
  await tick(40);
  assert.equal(runs, 1);
  assert.equal(batch.pending, false);
});

test('a debounce runs once, a delay after the last call', async () => {
  let runs = 0;
  const typing = new Delayer(() => runs++, 30, { restartOnCall: true });
  typing.schedule();
  await tick(20);
  typing.schedule();
  await tick(20);
  assert.equal(runs, 0, 'the second call started the wait over');
  await tick(30);
  assert.equal(runs, 1);
});

test('schedule(0) runs soon even while a longer wait is pending', async () => {
  let runs = 0;
  const save = new Delayer(() => runs++, 10_000);
  save.schedule();
  save.schedule(0);
  await tick(10);
  assert.equal(runs, 1);
  assert.equal(save.pending, false);
});

test('flush runs a pending task now; cancel and dispose drop it', async () => {
  let runs = 0;
  const batch = new Delayer(() => runs++, 20);
  batch.flush();
  assert.equal(runs, 0, 'nothing pending, nothing run');
  batch.schedule();
  batch.flush();
  assert.equal(runs, 1);
  batch.schedule();
  batch.cancel();
  batch.schedule();
  batch.dispose();
  await tick(40);
  assert.equal(runs, 1);
});

import { strict as assert } from 'node:assert';
import { EventEmitter } from 'node:events';
import { BurnerThread, LoadCancelledError, LoadCoordinator } from '../../../app/src/loadCoordinator';
import { sleep, waitFor } from './httpClient';

/** A thread that never runs: lets tests drive exits by hand. */
class FakeThread extends EventEmitter implements BurnerThread {
  terminated = false;
  terminate(): Promise<number> {
    this.terminated = true;
    setImmediate(() => this.emit('exit', 1));
    return Promise.resolve(1);
  }
}

describe('app/LoadCoordinator', function () {
  this.timeout(15_000);

  it('keeps every thread busy for the duration, then releases them', async () => {
    const coordinator = new LoadCoordinator(2);
    const cpuBefore = process.cpuUsage();
    const started = Date.now();
    const run = coordinator.run(1);
    await sleep(300);
    assert.equal(coordinator.busyThreads, 2);
    assert.deepEqual(await run, { threads: 2 });
    const elapsed = Date.now() - started;
    // Timers may fire a few ms early relative to this clock: 950 ms still means "for the duration".
    assert.ok(elapsed >= 950 && elapsed < 2500, `took ${elapsed} ms`);
    // 2 threads x 1 s on a 2-CPU machine is ~2 s of CPU; leave room for a busy CI box.
    const cpu = process.cpuUsage(cpuBefore);
    assert.ok(cpu.user + cpu.system > 700_000, `only ${(cpu.user + cpu.system) / 1e6} s CPU`);
    await waitFor(() => coordinator.busyThreads === 0, 2000, 'threads to exit');
  });

  it('lets concurrent requests share the pool instead of adding threads', async () => {
    const coordinator = new LoadCoordinator(2);
    let maxBusy = 0;
    const sampler = setInterval(() => (maxBusy = Math.max(maxBusy, coordinator.busyThreads)), 10);
    const started = Date.now();
    const answeredAt: number[] = [];
    const track = (p: Promise<unknown>, i: number) => p.then(() => (answeredAt[i] = Date.now() - started));
    await Promise.all([
      track(coordinator.run(1), 0),
      track(coordinator.run(1), 1),
      track(coordinator.run(2), 2),
      track(sleep(200).then(() => coordinator.run(1)), 3),
    ]);
    clearInterval(sampler);
    assert.equal(maxBusy, 2);
    assert.ok(coordinator.totalThreadsSpawned <= 3, `spawned ${coordinator.totalThreadsSpawned}`);
    // Joined, not queued: each request answers after its own duration.
    assert.ok(answeredAt[0]! < 1800 && answeredAt[1]! < 1800, `answered at ${answeredAt}`);
    assert.ok(answeredAt[2]! >= 1950, `answered at ${answeredAt}`);
    await waitFor(() => coordinator.busyThreads === 0, 2000, 'threads to exit');
  });

  it('cancels a request on abort and lets its threads go', async () => {
    const coordinator = new LoadCoordinator(1);
    const abort = new AbortController();
    const run = coordinator.run(60, abort.signal);
    await sleep(200);
    assert.equal(coordinator.busyThreads, 1);
    abort.abort();
    await assert.rejects(run, LoadCancelledError);
    assert.equal(coordinator.activeRequests, 0);
    await waitFor(() => coordinator.busyThreads === 0, 2000, 'thread to exit');
  });

  it('stop() cancels running loads and refuses new ones', async () => {
    const coordinator = new LoadCoordinator(1);
    const cancelled = assert.rejects(coordinator.run(60), /shutting down/);
    await sleep(100);
    await coordinator.stop();
    await cancelled;
    await assert.rejects(coordinator.run(1), LoadCancelledError);
    assert.equal(coordinator.busyThreads, 0);
  });

  it('replaces a thread that exited while a load is still running, but not a crashed one', async () => {
    const threads: FakeThread[] = [];
    const coordinator = new LoadCoordinator(2, () => {
      const t = new FakeThread();
      threads.push(t);
      return t;
    });
    const cancelled = assert.rejects(coordinator.run(5), LoadCancelledError);
    assert.equal(threads.length, 2);
    threads[0]!.emit('exit', 0); // read a stale deadline and left
    assert.equal(threads.length, 3);
    assert.equal(coordinator.busyThreads, 2);
    threads[1]!.emit('exit', 1); // crashed: no respawn loop
    assert.equal(threads.length, 3);
    await coordinator.stop();
    await cancelled;
  });

  it('rejects a pool of zero threads', () => {
    assert.throws(() => new LoadCoordinator(0), RangeError);
  });
});

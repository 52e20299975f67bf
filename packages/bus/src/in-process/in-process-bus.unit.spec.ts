import { describe, expect, it } from 'vitest';
import type { DeliveredBatch } from '../bus.js';
import { collect, eventually } from '../test-support/collect.js';
import { InProcessBus } from './in-process-bus.js';

const message = (key: string, value: string) => ({ topic: 't', key, value, headers: { h: value } });

describe('the in-process bus', () => {
  it('delivers each key in the order published, with headers and offsets', async () => {
    const bus = new InProcessBus({ partitions: 3 });
    const collected = await collect(bus, 't', 'g');
    const keys = ['a', 'b', 'c', 'd'];
    await bus.publish(Array.from({ length: 40 }, (_, i) => message(keys[i % 4] ?? 'a', String(i))));
    const messages = await collected.waitFor(40);
    for (const key of keys) {
      const values = messages.filter((m) => m.key === key).map((m) => Number(m.value));
      expect(values).toEqual([...values].sort((a, b) => a - b));
      expect(new Set(messages.filter((m) => m.key === key).map((m) => m.partition)).size).toBe(1);
    }
    expect(messages[0]?.headers).toEqual({ h: messages[0]?.value });
    await collected.stop();
  });

  it('gives every group every message, and a new group starts from the beginning', async () => {
    const bus = new InProcessBus();
    await bus.publish([message('a', '1'), message('b', '2')]);
    const first = await collect(bus, 't', 'first');
    const second = await collect(bus, 't', 'second');
    expect((await first.waitFor(2)).length).toBe(2);
    expect((await second.waitFor(2)).length).toBe(2);
    await Promise.all([first.stop(), second.stop()]);
  });

  it('offers a failed batch again, and moves on only once it is handled', async () => {
    const bus = new InProcessBus({ partitions: 1, backoff: { initialMs: 1, maxMs: 5 } });
    const seen: string[][] = [];
    const errors: string[] = [];
    let failuresLeft = 2;
    const subscription = await bus.subscribe(
      { topics: ['t'], groupId: 'g', onHandlerError: (error) => errors.push(error.message) },
      (batch: DeliveredBatch) => {
        seen.push(batch.messages.map((m) => m.value));
        if (failuresLeft > 0) {
          failuresLeft -= 1;
          return Promise.reject(new Error('sink down'));
        }
        return Promise.resolve();
      },
    );
    await bus.publish([message('a', '1'), message('a', '2')]);
    await eventually(() => seen.length === 3, 'the third offer');
    expect(seen).toEqual([
      ['1', '2'],
      ['1', '2'],
      ['1', '2'],
    ]);
    expect(errors).toEqual(['sink down', 'sink down']);
    await subscription.stop();
  });

  it('resumes a group after its committed offset, and allows one consumer per group', async () => {
    const bus = new InProcessBus({ partitions: 1 });
    const before = await collect(bus, 't', 'g');
    await expect(
      bus.subscribe({ topics: ['t'], groupId: 'g' }, () => Promise.resolve()),
    ).rejects.toThrow('already has a consumer');
    await bus.publish([message('a', '1')]);
    await before.waitFor(1);
    await before.stop();
    await bus.publish([message('a', '2')]);
    const after = await collect(bus, 't', 'g');
    expect((await after.waitFor(1)).map((m) => m.value)).toEqual(['2']);
    await after.stop();
  });

  it('limits a batch to maxBatchSize messages', async () => {
    const bus = new InProcessBus({ partitions: 1 });
    await bus.publish(Array.from({ length: 7 }, (_, i) => message('a', String(i))));
    const sizes: number[] = [];
    const subscription = await bus.subscribe(
      { topics: ['t'], groupId: 'g', maxBatchSize: 3 },
      (batch) => {
        sizes.push(batch.messages.length);
        return Promise.resolve();
      },
    );
    await eventually(() => sizes.reduce((a, b) => a + b, 0) === 7, 'seven messages');
    expect(sizes).toEqual([3, 3, 1]);
    await subscription.stop();
  });
});

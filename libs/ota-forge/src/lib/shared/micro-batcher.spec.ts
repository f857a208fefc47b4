import { MicroBatcher } from './micro-batcher.js';

describe(MicroBatcher.name, () => {
  function recording(answer: (key: number) => string | undefined = (key) => `v${key}`) {
    const calls: number[][] = [];
    const batcher = new MicroBatcher<number, string>(
      async (keys) => {
        calls.push([...keys]);
        await new Promise((resolve) => setTimeout(resolve, 5));
        return new Map(keys.flatMap((key) => (answer(key) === undefined ? [] : [[key, answer(key)!] as const])));
      },
      { maxInFlight: 2, maxBatch: 3 },
    );
    return { batcher, calls };
  }

  it('should answer the keys requested in one turn with one call, a repeated key sharing its answer', async () => {
    const { batcher, calls } = recording();

    const answers = await Promise.all([batcher.load(1), batcher.load(2), batcher.load(1)]);

    expect(answers).toEqual(['v1', 'v2', 'v1']);
    expect(calls).toEqual([[1, 2]]);
  });

  it('should split more keys than a batch holds, and answer undefined for a key the call did not give', async () => {
    const { batcher, calls } = recording((key) => (key === 4 ? undefined : `v${key}`));

    const answers = await Promise.all([1, 2, 3, 4, 5, 6, 7].map((key) => batcher.load(key)));

    expect(answers).toEqual(['v1', 'v2', 'v3', undefined, 'v5', 'v6', 'v7']);
    expect(calls).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
  });

  it('should never send a key before it was requested: one requested during a call goes in the next', async () => {
    const { batcher, calls } = recording();
    const first = batcher.load(1);
    await new Promise((resolve) => setImmediate(resolve));

    const second = batcher.load(1);

    expect(await Promise.all([first, second])).toEqual(['v1', 'v1']);
    expect(calls).toEqual([[1], [1]]);
  });

  it('should reject every request of a failed call, and serve later ones', async () => {
    let fail = true;
    const batcher = new MicroBatcher<number, string>(
      async (keys) => {
        if (fail) throw new Error('database gone');
        return new Map(keys.map((key) => [key, 'ok']));
      },
      { maxInFlight: 1, maxBatch: 10 },
    );

    const failed = await Promise.allSettled([batcher.load(1), batcher.load(2)]);
    fail = false;

    expect(failed.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect(await batcher.load(3)).toBe('ok');
  });
});

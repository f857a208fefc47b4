/** Polls `probe` until it returns a truthy value or `timeoutMs` passes (then throws its last state). */
export async function waitFor<T>(probe: () => Promise<T> | T, timeoutMs = 10_000, intervalMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T;
  do {
    last = await probe();
    if (last) return last;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  } while (Date.now() < deadline);
  throw new Error(`condition not met within ${timeoutMs} ms (last value: ${JSON.stringify(last)})`);
}

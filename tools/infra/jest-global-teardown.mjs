// Stops the Testcontainers the global setup started, if it started any.
export default async function globalTeardown() {
  await globalThis.__flexgalaxyContainers?.stop();
}

/**
 * Where devices reach the DDI: DDI_PUBLIC_URL when set (behind a proxy or load balancer),
 * otherwise the scheme and Host of the device's own request.
 */
export function ddiPublicBase(
  publicUrl: string | undefined,
  request: { protocol: string; headers: Record<string, string | string[] | undefined> },
): string {
  const host = request.headers['host'];
  return publicUrl?.replace(/\/$/, '') ?? `${request.protocol}://${typeof host === 'string' ? host : 'localhost'}`;
}

import { eventCatalog, eventEnvelopeSchema, isEventType, type PlatformEvent } from '@flexgalaxy/contracts';

export type ParseResult = { ok: true; event: PlatformEvent } | { ok: false; error: string };

/** Validates an envelope and its payload against the contract of its type and version. */
export function parseEvent(raw: unknown): ParseResult {
  const envelope = eventEnvelopeSchema.safeParse(raw);
  if (!envelope.success) return { ok: false, error: `invalid envelope: ${formatIssues(envelope.error.issues, [])}` };
  const { type, version } = envelope.data;
  if (!isEventType(type)) return { ok: false, error: `unknown event type ${type}` };
  const definition = eventCatalog[type];
  if (version !== definition.version) {
    return { ok: false, error: `unsupported version ${version} of ${type} (this build reads ${definition.version})` };
  }
  const payload = definition.payload.safeParse(envelope.data.payload);
  if (!payload.success)
    return { ok: false, error: `invalid ${type} ${formatIssues(payload.error.issues, ['payload'])}` };
  return { ok: true, event: { ...envelope.data, type, payload: payload.data } as PlatformEvent };
}

function formatIssues(issues: readonly { path: PropertyKey[]; message: string }[], prefix: string[]): string {
  return issues
    .map((issue) => `${[...prefix, ...issue.path.map(String)].join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}

import { InvalidDevicePayloadError, parseAttributesPayload, parseTelemetryPayload } from './device-payload.parser.js';

const receivedAt = new Date('2026-11-23T10:00:00.000Z');
const parse = (payload: unknown) =>
  parseTelemetryPayload('d1', Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)), receivedAt);

describe(parseTelemetryPayload.name, () => {
  it.each([
    [
      'a flat object, stamped with the reception time',
      { battery: 80 },
      [{ key: 'battery', value: 80, ts: receivedAt }],
    ],
    [
      'the {ts, values} form',
      { ts: 1_700_000_000_000, values: { task: 'idle' } },
      [{ key: 'task', value: 'idle', ts: new Date(1_700_000_000_000) }],
    ],
    [
      'a numeric-string ts (Gson getAsLong)',
      { ts: '1700000000000', values: { a: true } },
      [{ key: 'a', value: true, ts: new Date(1_700_000_000_000) }],
    ],
    [
      'an array mixing both forms',
      [{ ts: 5, values: { a: 1 } }, { b: { nested: [1, null] } }],
      [
        { key: 'a', value: 1, ts: new Date(5) },
        { key: 'b', value: { nested: [1, null] }, ts: receivedAt },
      ],
    ],
    ['null values, skipped as ThingsBoard does', { a: null, b: 2 }, [{ key: 'b', value: 2, ts: receivedAt }]],
    ['an empty object', {}, []],
  ])('should read %s', (_case, payload, expected) => {
    expect(parse(payload)).toEqual(expected.map((point) => ({ deviceId: 'd1', ...point })));
  });

  it.each([
    ['not JSON', 'battery=5'],
    ['a JSON scalar', '42'],
    ['an array of scalars', '[1,2]'],
    ['values that are not an object', { ts: 1, values: 3 }],
    ['a ts that is not a number', { ts: 'yesterday', values: { a: 1 } }],
    ['a fractional ts', { ts: 1.5, values: { a: 1 } }],
    ['a blank key', { ' ': 1 }],
  ])('should refuse %s with DEVICE_REGISTRY.INVALID_PAYLOAD', (_case, payload) => {
    expect(() => parse(payload)).toThrow(InvalidDevicePayloadError);
  });
});

describe(parseAttributesPayload.name, () => {
  it('should read a JSON object, skipping nulls', () => {
    expect(parseAttributesPayload(Buffer.from('{"fw":"3.0","x":null}'))).toEqual({ fw: '3.0' });
  });

  it('should refuse anything but an object', () => {
    expect(() => parseAttributesPayload(Buffer.from('[{"fw":"3.0"}]'))).toThrow(InvalidDevicePayloadError);
  });
});

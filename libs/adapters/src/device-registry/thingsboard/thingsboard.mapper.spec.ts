import { readDeviceInfo, toLatestTelemetry, toRegisteredDevice, withDeviceInfo } from './thingsboard.mapper.js';
import type { TbDevice } from './thingsboard.types.js';

const tbDevice = (additionalInfo: unknown): TbDevice => ({
  id: { entityType: 'DEVICE', id: 'f1b3c1e0-0000-4000-8000-000000000001' },
  name: 'amr-7',
  label: 'AMR #7',
  type: 'amr',
  additionalInfo,
});

describe('thingsboard.mapper', () => {
  describe(readDeviceInfo.name, () => {
    it('should read our info from additionalInfo.flexgalaxy', () => {
      expect(
        readDeviceInfo(tbDevice({ flexgalaxy: { accountId: 'a1', disabled: true, suspendedAccessToken: 't' } })),
      ).toEqual({
        accountId: 'a1',
        disabled: true,
        suspendedAccessToken: 't',
      });
    });

    it.each([null, {}, { flexgalaxy: { accountId: 1 } }, 'text'])(
      'should answer null for a device not created by the platform (%j)',
      (info) => {
        expect(readDeviceInfo(tbDevice(info))).toBeNull();
      },
    );
  });

  describe(withDeviceInfo.name, () => {
    it("should replace our key and keep ThingsBoard's own keys", () => {
      expect(
        withDeviceInfo(
          { description: 'dock', gateway: false, flexgalaxy: { old: true } },
          { accountId: 'a2', disabled: false },
        ),
      ).toEqual({
        description: 'dock',
        gateway: false,
        flexgalaxy: { accountId: 'a2', disabled: false },
      });
    });
  });

  describe(toRegisteredDevice.name, () => {
    it('should map name → deviceId, label → name, type → profile and the two attribute scopes', () => {
      const device = toRegisteredDevice(
        tbDevice(null),
        { accountId: 'a1', disabled: false },
        [{ lastUpdateTs: 1, key: 'serial', value: 'SN-7' }],
        [{ lastUpdateTs: 1, key: 'fw', value: '3.0' }],
      );

      expect(device).toEqual({
        deviceId: 'amr-7',
        accountId: 'a1',
        name: 'AMR #7',
        profile: 'amr',
        attributes: { serial: 'SN-7' },
        clientAttributes: { fw: '3.0' },
        enabled: true,
      });
    });
  });

  describe(toLatestTelemetry.name, () => {
    it('should keep the newest sample per key with its timestamp', () => {
      expect(
        toLatestTelemetry({
          battery: [
            { ts: 1, value: 50 },
            { ts: 3, value: 40 },
          ],
          task: [],
        }),
      ).toEqual({
        battery: { value: 40, ts: new Date(3) },
      });
    });
  });
});

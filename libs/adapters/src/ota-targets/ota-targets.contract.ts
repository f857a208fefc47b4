import { randomBytes, randomUUID } from 'node:crypto';
import type { OtaTargetInput, OtaTargets } from './ota-targets.port.js';

export interface OtaTargetsHarness {
  targets: OtaTargets;
  /** What the backend's DDI endpoint answers a device presenting this token (200 or 401). */
  ddiStatus(controllerId: string, securityToken: string): Promise<number>;
  close(): Promise<void>;
}

const newToken = () => randomBytes(32).toString('base64url');

/** The one suite every OtaTargets adapter runs (STYLE.md §9). */
export function describeOtaTargetsContract(name: string, makeAdapter: () => Promise<OtaTargetsHarness>): void {
  describe(`${name} (OtaTargets contract)`, () => {
    let harness: OtaTargetsHarness;
    let targets: OtaTargets;

    beforeAll(async () => {
      harness = await makeAdapter();
      targets = harness.targets;
    });
    afterAll(() => harness?.close());

    const input = (overrides: Partial<OtaTargetInput> = {}): OtaTargetInput => ({
      accountId: 'acct-robomake',
      name: 'AMR-X1 SN-001',
      securityToken: newToken(),
      attributes: {
        type: 'controller',
        model: null,
        revision: null,
        manufacturer: 'RoboMake',
        serial: 'SN-001',
        firmwareVersion: 'bootloader-1.0',
        capabilities: [],
        timezone: 'UTC',
      },
      ...overrides,
    });

    it('should create a target, then replace it idempotently, never answering its token', async () => {
      const id = `dev-${randomUUID()}`;
      const first = input();
      const created = await targets.upsertTarget(id, first);
      expect(created).toMatchObject({ controllerId: id, accountId: 'acct-robomake', enabled: true, created: true });
      expect(created.attributes).toEqual(first.attributes);
      expect(JSON.stringify(created)).not.toContain(first.securityToken);

      const again = await targets.upsertTarget(id, { ...first, attributes: { ...first.attributes, type: 'amr' } });
      expect(again).toMatchObject({ created: false, attributes: { type: 'amr' } });
      expect(await harness.ddiStatus(id, first.securityToken)).toBe(200);
    });

    it('should refuse the old DDI token at once after the token is rotated', async () => {
      const id = `dev-${randomUUID()}`;
      const first = input();
      await targets.upsertTarget(id, first);
      const rotated = newToken();

      await targets.updateTarget(id, { securityToken: rotated });

      expect(await harness.ddiStatus(id, first.securityToken)).toBe(401);
      expect(await harness.ddiStatus(id, rotated)).toBe(200);
    });

    it('should merge attributes, move the account and disable / enable the target', async () => {
      const id = `dev-${randomUUID()}`;
      const first = input();
      await targets.upsertTarget(id, first);

      const moved = await targets.updateTarget(id, {
        accountId: 'acct-warehouse-a',
        attributes: { capabilities: ['navigation'], type: 'amr' },
      });
      expect(moved).toMatchObject({
        accountId: 'acct-warehouse-a',
        attributes: { ...first.attributes, capabilities: ['navigation'], type: 'amr' },
      });

      await targets.updateTarget(id, { enabled: false });
      expect(await harness.ddiStatus(id, first.securityToken)).toBe(401);
      const enabled = await targets.updateTarget(id, { enabled: true });
      expect(enabled.enabled).toBe(true);
      expect(await harness.ddiStatus(id, first.securityToken)).toBe(200);
    });

    it('should delete a target: its token is refused and a second delete is not found', async () => {
      const id = `dev-${randomUUID()}`;
      const first = input();
      await targets.upsertTarget(id, first);

      await targets.deleteTarget(id);

      expect(await harness.ddiStatus(id, first.securityToken)).toBe(401);
      await expect(targets.deleteTarget(id)).rejects.toMatchObject({ code: 'OTA_TARGETS.TARGET_NOT_FOUND' });
      await expect(targets.updateTarget(id, { enabled: true })).rejects.toMatchObject({
        code: 'OTA_TARGETS.TARGET_NOT_FOUND',
        kind: 'not_found',
      });
    });

    it('should reject a security token shorter than 32 characters', async () => {
      await expect(
        targets.upsertTarget(`dev-${randomUUID()}`, input({ securityToken: 'short' })),
      ).rejects.toMatchObject({ code: 'OTA_TARGETS.REJECTED', kind: 'invalid_input' });
    });
  });
}

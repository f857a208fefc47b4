import { jest } from '@jest/globals';
import type { OtaBackend } from '@flexgalaxy/adapters';
import type { Tx } from '@flexgalaxy/db';
import type { MatchingRepository } from '../rollouts/matching.repository.js';
import type { MatchTargetUseCase } from '../rollouts/use-cases/match-target.use-case.js';
import type { TransactionRunner } from '../shared/transaction-runner.js';
import type { Target } from './domain/target.js';
import type { TargetsRepository } from './targets.repository.js';
import { TargetsService } from './targets.service.js';

const attributes = {
  type: 'amr',
  model: 'X1',
  revision: null,
  manufacturer: 'RoboMake',
  serial: 'SN-1',
  firmwareVersion: '1.0.0',
  capabilities: ['navigation', 'lift'],
  timezone: null,
};
const input = { accountId: 'acct-1', name: 'amr-1', securityToken: 't'.repeat(32), attributes };
const target: Target = {
  controllerId: 'amr-1',
  accountId: 'acct-1',
  name: 'amr-1',
  enabled: true,
  attributes,
  createdAt: new Date(),
  updatedAt: new Date(),
};

/** A transaction runner whose commit fails after the work ran, or succeeds. */
function runner(commit: 'ok' | 'fails'): TransactionRunner {
  return {
    run: async <T>(work: (tx: Tx) => Promise<T>): Promise<T> => {
      const result = await work({} as Tx);
      if (commit === 'fails') throw new Error('commit failed');
      return result;
    },
  } as TransactionRunner;
}

function setup(commit: 'ok' | 'fails', created = true) {
  const backend = {
    upsertTarget: jest.fn(async () => ({ created })),
    putTargetMetadata: jest.fn(async () => undefined),
    deleteTarget: jest.fn(async () => true),
    updateTarget: jest.fn(async () => undefined),
  };
  const targets = {
    find: jest.fn(async () => null),
    upsert: jest.fn(async () => ({ target, created: true })),
    delete: jest.fn(async () => true),
  };
  const sut = new TargetsService(
    runner(commit),
    targets as unknown as TargetsRepository,
    { withdrawUnentitled: jest.fn() } as unknown as MatchingRepository,
    { execute: jest.fn(async () => []) } as unknown as MatchTargetUseCase,
    backend as unknown as OtaBackend,
  );
  return { sut, backend, targets };
}

describe(TargetsService.name, () => {
  describe('put (hawkBit mode)', () => {
    it('should create the hawkBit target with the token in clear and the attributes as metadata', async () => {
      const { sut, backend } = setup('ok');

      await sut.put('amr-1', input);

      expect(backend.upsertTarget).toHaveBeenCalledWith({
        controllerId: 'amr-1',
        name: 'amr-1',
        securityToken: input.securityToken,
      });
      expect(backend.putTargetMetadata).toHaveBeenCalledWith('amr-1', {
        account: 'acct-1',
        type: 'amr',
        model: 'X1',
        revision: null,
        manufacturer: 'RoboMake',
        serial: 'SN-1',
        firmware_version: '1.0.0',
        capabilities: 'navigation,lift',
        timezone: null,
      });
      expect(backend.deleteTarget).not.toHaveBeenCalled();
    });

    it('should delete the hawkBit target it created when our commit fails', async () => {
      const { sut, backend } = setup('fails');

      await expect(sut.put('amr-1', input)).rejects.toThrow('commit failed');

      expect(backend.deleteTarget).toHaveBeenCalledWith('amr-1');
    });

    it('should keep a hawkBit target it only took over when our commit fails', async () => {
      const { sut, backend } = setup('fails', false);

      await expect(sut.put('amr-1', input)).rejects.toThrow('commit failed');

      expect(backend.deleteTarget).not.toHaveBeenCalled();
    });

    it('should delete the created hawkBit target when its metadata cannot be written', async () => {
      const { sut, backend } = setup('ok');
      backend.putTargetMetadata.mockRejectedValueOnce(new Error('hawkBit down'));

      await expect(sut.put('amr-1', input)).rejects.toThrow('hawkBit down');

      expect(backend.deleteTarget).toHaveBeenCalledWith('amr-1');
    });
  });

  describe('delete (hawkBit mode)', () => {
    it('should delete the hawkBit target inside our transaction', async () => {
      const { sut, backend, targets } = setup('ok');

      await sut.delete('amr-1');

      expect(targets.delete).toHaveBeenCalled();
      expect(backend.deleteTarget).toHaveBeenCalledWith('amr-1');
    });
  });
});

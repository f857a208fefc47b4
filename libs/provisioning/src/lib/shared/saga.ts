import { Logger } from '@nestjs/common';
import { BackendFailedError, type BackendSystem } from './backend-failure.js';

interface Done {
  name: string;
  undo: () => Promise<unknown>;
}

/**
 * A compensating transaction over the backends (seed 002 "Compensating transactions"): each step
 * that changed a system registers how to undo it; if a later step fails, the undos run in reverse
 * order and the caller gets BackendFailedError naming the system that failed. An undo that fails
 * itself is logged and reported in the error's details; the others still run.
 */
export class Saga {
  private static readonly logger = new Logger('ProvisioningSaga');
  private readonly done: Done[] = [];

  constructor(private readonly operation: string) {}

  /** Runs one backend call; `undo` (if given) is kept for compensation once the call succeeded. */
  async step<T>(
    system: BackendSystem,
    name: string,
    run: () => Promise<T>,
    undo?: (result: T) => Promise<unknown>,
  ): Promise<T> {
    let result: T;
    try {
      result = await run();
    } catch (error) {
      throw await this.fail(system, name, error);
    }
    if (undo) this.done.push({ name, undo: () => undo(result) });
    return result;
  }

  /** Undoes every completed step (a failure outside the backends, e.g. the final commit). */
  async abort(): Promise<{ undone: string[]; failed: string[] }> {
    const undone: string[] = [];
    const failed: string[] = [];
    for (const step of this.done.splice(0).reverse()) {
      try {
        await step.undo();
        undone.push(step.name);
      } catch (error) {
        failed.push(step.name);
        Saga.logger.error({ err: error, step: step.name, operation: this.operation }, 'compensation failed');
      }
    }
    return { undone, failed };
  }

  private async fail(system: BackendSystem, name: string, error: unknown): Promise<BackendFailedError> {
    const compensation = await this.abort();
    Saga.logger.warn({ err: error, system, step: name, operation: this.operation, ...compensation }, 'backend failed');
    return new BackendFailedError(system, `${this.operation}: ${name}`, error, compensation);
  }
}

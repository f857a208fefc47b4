/** DDI feedback vocabulary (hawkBit's DdiStatus). */
export const DDI_EXECUTIONS = [
  'closed',
  'proceeding',
  'canceled',
  'scheduled',
  'rejected',
  'resumed',
  'downloaded',
  'download',
] as const;
export type DdiExecution = (typeof DDI_EXECUTIONS)[number];
export const DDI_FINISHED = ['success', 'failure', 'none'] as const;
export type DdiFinished = (typeof DDI_FINISHED)[number];

export type ActionState =
  | 'scheduled'
  | 'retrieved'
  | 'running'
  | 'downloading'
  | 'downloaded'
  | 'finished'
  | 'failed'
  | 'canceling'
  | 'canceled';

export const OPEN_STATES: readonly ActionState[] = [
  'scheduled',
  'retrieved',
  'running',
  'downloading',
  'downloaded',
  'canceling',
];
/** Delivered to the device and not finished: what "max concurrent installs" counts. */
export const IN_PROGRESS_STATES: readonly ActionState[] = ['retrieved', 'running', 'downloading', 'downloaded'];

export function isOpen(state: ActionState): boolean {
  return OPEN_STATES.includes(state);
}

/**
 * The state an action moves to on deploymentBase feedback, as hawkBit maps it: closed+failure →
 * failed, closed otherwise → finished, download → downloading, downloaded → downloaded, canceled →
 * canceled, rejected → a warning that leaves the state as it is, anything else → running.
 * `history` is the status recorded in the action's history.
 */
export function stateAfterFeedback(
  current: ActionState,
  execution: DdiExecution,
  finished: DdiFinished,
): { next: ActionState; history: string } {
  switch (execution) {
    case 'closed':
      return finished === 'failure' ? { next: 'failed', history: 'error' } : { next: 'finished', history: 'finished' };
    case 'download':
      return { next: 'downloading', history: 'download' };
    case 'downloaded':
      return { next: 'downloaded', history: 'downloaded' };
    case 'canceled':
      return { next: 'canceled', history: 'canceled' };
    case 'rejected':
      return { next: current, history: 'warning' };
    default:
      // A late "proceeding" never moves a downloaded action back in the report.
      return { next: current === 'downloaded' || current === 'downloading' ? current : 'running', history: 'running' };
  }
}

/** Which platform event a transition announces (ota.action.status_changed), if any. */
export function announcedStatus(
  previous: ActionState,
  next: ActionState,
): 'downloading' | 'downloaded' | 'installed' | 'failed' | null {
  if (previous === next) return null;
  switch (next) {
    case 'downloading':
      return 'downloading';
    case 'downloaded':
      return 'downloaded';
    case 'finished':
      return 'installed';
    case 'failed':
      return 'failed';
    default:
      return null;
  }
}

export { Api, ApiError, ClientCredentials, type Answer, type ApiRoutes } from './api.js';
export {
  CAST,
  DAYTIME_SITES,
  EXPECTED_VISIBILITY,
  LEAVER,
  REVISION_R2,
  ROBOT_COUNT,
  TO_DISTRIBUTORS,
  TO_JAPAN_CUSTOMERS,
  type ActorKey,
} from './cast.js';
export { ConsoleNarrator, RecordingNarrator, renderTable, type Narrator, type Table } from './narrator.js';
export { Robot } from './robot.js';
export {
  StoryCheckError,
  SupplyChainStory,
  type DeveloperMetrics,
  type OutsideOrgOutcome,
  type RolloutOutcome,
  type SupplyChainStoryOptions,
  type TransferOutcome,
  type VisibilityRow,
} from './supply-chain-story.js';

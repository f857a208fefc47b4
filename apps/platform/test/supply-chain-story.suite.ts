import {
  DAYTIME_SITES,
  EXPECTED_VISIBILITY,
  LEAVER,
  RecordingNarrator,
  REVISION_R2,
  ROBOT_COUNT,
  SupplyChainStory,
  type RolloutOutcome,
  type SupplyChainStoryOptions,
  type Table,
  type VisibilityRow,
} from '../../../tools/demo/story/index.js';

const R3 = ROBOT_COUNT - REVISION_R2.size;

/** What checks after the story can reach: the story that ran and the stack it ran on. */
export interface StoryContext {
  story(): SupplyChainStory;
  stack(): StoryStack;
}

/** A running platform, however it is shaped, and how the story reaches it. */
export interface StoryStack {
  options: Omit<SupplyChainStoryOptions, 'narrator'>;
  stop(): Promise<void>;
}

/**
 * seed 000's user story end to end, as an acceptance suite: the story drives the platform only
 * through public HTTP, MQTT, DDI and the device TLS listener — never its database. The steps are
 * the ones `npm run demo` narrates (tools/demo/story); each checks seed 000's promises itself, and
 * the suite asserts on what they observed. `start` brings up the stack under test.
 */
export function describeSupplyChainStory(
  title: string,
  start: () => Promise<StoryStack>,
  /** Further checks of this stack after the story, registered in the same describe block. */
  more?: (context: StoryContext) => void,
  /**
   * How many times the single-process step budgets a stack needs: five processes, Kafka hops and
   * the real hawkBit and Keycloak share two cores with the other suites running beside them.
   */
  timeoutScale = 1,
): void {
  const budget = (ms: number) => ms * timeoutScale;
  describe(title, () => {
    let stack: StoryStack | undefined;
    let story: SupplyChainStory;
    const narrator = new RecordingNarrator();
    let rollout: RolloutOutcome;
    let visibility: VisibilityRow[];

    beforeAll(async () => {
      stack = await start();
      story = new SupplyChainStory({ ...stack.options, narrator });
    }, budget(240_000));

    afterAll(async () => {
      if (process.env['LOG_TESTS']) console.log(narrator.lines.join('\n'));
      await stack?.stop();
    }, budget(60_000));

    it(
      '1. creates SyriusSoft, RoboMake, its four distributors and Japan’s two customers',
      async () => {
        await story.createAccounts();
        const roboMake = story.actor('roboMake').id;
        expect(story.actors.size).toBe(8);
        expect(new Set([...story.actors.values()].map((actor) => actor.id)).size).toBe(8);
        expect(roboMake).toEqual(expect.any(String));
      },
      budget(60_000),
    );

    it(
      '2. publishes NavSoft (Got org-wide by RoboMake) and RoboMake’s device-bound RobotOS',
      async () => {
        await story.publishSoftware();
      },
      budget(60_000),
    );

    it(
      '3. enrolls 100 robots at the factory and at assembly over mTLS with RoboMake’s CA',
      async () => {
        await story.enrollRobots();
        expect(story.robots).toHaveLength(ROBOT_COUNT);
        expect(new Set(story.robots.map((robot) => robot.deviceId)).size).toBe(ROBOT_COUNT);
        expect(story.robots.filter((robot) => robot.spec.revision === 'r2')).toHaveLength(REVISION_R2.size);
      },
      budget(120_000),
    );

    it(
      '4. defers NavSoft under its constraints, then installs it everywhere it matches, licensed on success',
      async () => {
        rollout = await story.rollOut();
        const busy = story.robots.filter(
          (robot) =>
            robot.spec.revision === 'r3' && robot.spec.number % 5 === 0 && !DAYTIME_SITES.has(robot.spec.number),
        ).length;
        expect(rollout.deferred).toEqual({
          battery_low: R3 - busy - DAYTIME_SITES.size,
          executing_task: busy,
          outside_maintenance_window: DAYTIME_SITES.size,
        });
        expect(rollout.robotOsInstalled).toBe(ROBOT_COUNT);
        expect(rollout.navSoftInstalled).toBe(R3);
        expect(rollout.notTargeted).toBe(REVISION_R2.size);
        expect(rollout.navSoftLicensed).toBe(R3);
        for (const robot of story.robots) {
          expect([robot.spec.number, robot.software.get('NavSoft')]).toEqual([
            robot.spec.number,
            robot.spec.revision === 'r3' ? '3.0' : undefined,
          ]);
        }
      },
      budget(180_000),
    );

    it(
      '5. transfers 20/60/15/5 robots to the distributors and 30/15 to Japan’s customers, rotating every credential',
      async () => {
        const outcomes = await story.transferThroughSupplyChain();
        expect(outcomes.map((outcome) => [outcome.from, outcome.to, outcome.devices])).toEqual([
          ['roboMake', 'china', 20],
          ['roboMake', 'japan', 60],
          ['roboMake', 'us', 15],
          ['roboMake', 'singapore', 5],
          ['japan', 'warehouseA', 30],
          ['japan', 'factoryB', 15],
        ]);
        for (const outcome of outcomes) {
          expect(outcome).toMatchObject({
            oldMqttRefused: outcome.devices,
            oldDdiRefused: outcome.devices,
            newCredentialsWork: outcome.devices,
          });
        }
      },
      budget(120_000),
    );

    it(
      '6. shows each actor exactly seed 000’s visibility, and SyriusSoft only aggregates',
      async () => {
        visibility = await story.checkVisibility();
        expect(visibility.map((row) => [row.actor, row.sees])).toEqual(
          EXPECTED_VISIBILITY.map((row) => [row.actor, row.sees]),
        );
        expect(visibility.find((row) => row.actor === 'japan')?.owns).toBe(15);
        const metrics = await story.developerMetrics();
        expect(metrics).toMatchObject({
          sources: { otaForge: 'ok', trustMint: 'ok' },
          devicesMatched: R3,
          installs: { successful: R3, failed: 0, inProgress: 0 },
          licenses: { active: R3 },
          gets: { total: 1, byScope: { account: 0, org: 1 } },
        });
      },
      budget(60_000),
    );

    it(
      '7. keeps RobotOS updating outside the org, and NavSoft only after the new owner Gets it',
      async () => {
        const outcome = await story.leaveTheOrg();
        expect(outcome).toEqual({
          robotOsOutside: '2.0',
          navSoftOutsideBeforeGet: '3.0',
          navSoftActionsBeforeGet: 0,
          navSoftOutsideAfterGet: '3.1',
          insideOnNavSoft31: R3 - 1,
          insideR3: R3 - 1,
          outsideLicense: 'valid',
        });
        expect(story.robot(LEAVER).software.get('NavSoft')).toBe('3.1');
        const [, installs, licenses] = await story.summary(visibility);
        const column = (table: Table | undefined, index: number) =>
          (table?.rows ?? [])
            .filter((row) => !String(row[0]).startsWith('SyriusSoft'))
            .map((row) => Number(row[index]));
        const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
        expect(sum(column(installs, 1))).toBe(ROBOT_COUNT);
        // TrustMint: one RobotOS and one NavSoft license per robot that installed them, owned by the
        // robot's current owner (licenses follow their device); the developer sees the same total.
        expect(sum(column(licenses, 1))).toBe(ROBOT_COUNT);
        expect(sum(column(licenses, 2))).toBe(R3);
        expect(licenses?.rows.find((row) => row[0] === 'Harbor Logistics')).toEqual(['Harbor Logistics', 1, 1]);
        expect(licenses?.rows.at(-1)?.[2]).toBe(R3);
      },
      budget(180_000),
    );

    more?.({
      story: () => story,
      stack: () => {
        if (!stack) throw new Error('the stack did not start');
        return stack;
      },
    });
  });
}

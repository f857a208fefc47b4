// Summarises a V8 .cpuprofile (from BENCH_CPU_PROF): self time by function and by package/file,
// inclusive time of project functions, and optionally who calls a function.
//   node tools/bench/profile/summarize.mjs <file.cpuprofile> [top=30] [options]
//     --busiest <s>       only the busiest <s>-second window (the measured load, not boot or seeding)
//     --from <s> --to <s> only samples between these offsets (seconds from the profile's start)
//     --timeline          print each second's non-idle share (to find the load phase)
//     --callers <regex>   inclusive stacks leading to functions whose name matches, heaviest first
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const option = (name) => {
  const at = args.indexOf(name);
  if (at < 0) return undefined;
  const [, value] = args.splice(at, 2);
  return value;
};
const flag = (name) => {
  const at = args.indexOf(name);
  if (at < 0) return false;
  args.splice(at, 1);
  return true;
};
const busiest = option('--busiest');
const from = option('--from');
const to = option('--to');
const callers = option('--callers');
const timeline = flag('--timeline');
const [file, topArg] = args;
if (!file) {
  console.error(
    'usage: summarize.mjs <file.cpuprofile> [top] [--busiest s | --from s --to s] [--timeline] [--callers re]',
  );
  process.exit(2);
}
const top = Number(topArg ?? 30);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const idleIds = new Set(
  profile.nodes.filter((node) => ['(idle)', '(program)'].includes(node.callFrame.functionName)).map((node) => node.id),
);

// Sample i happened at offsets[i] microseconds from the start and stands for deltas[i + 1] of time
// (V8 records the delta before each sample; the next delta is how long the sampled state lasted).
const deltas = profile.timeDeltas;
const offsets = [];
for (let i = 0, at = 0; i < profile.samples.length; i++) offsets.push((at += deltas[i] ?? 0));
const weightOf = (i) => deltas[i + 1] ?? deltas[i] ?? 0;

if (timeline) {
  const seconds = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const second = Math.floor(offsets[i] / 1e6);
    const entry = seconds.get(second) ?? { busy: 0, all: 0 };
    entry.all += weightOf(i);
    if (!idleIds.has(profile.samples[i])) entry.busy += weightOf(i);
    seconds.set(second, entry);
  }
  console.log('second  busy%');
  for (const [second, { busy, all }] of seconds)
    console.log(`${String(second).padStart(6)}  ${((100 * busy) / all).toFixed(0)}`);
}

let window = [0, Infinity];
if (from !== undefined || to !== undefined) window = [Number(from ?? 0) * 1e6, Number(to ?? Infinity) * 1e6];
if (busiest !== undefined) {
  // The window of this length holding the most non-idle time: two pointers over the samples.
  const span = Number(busiest) * 1e6;
  let best = { busy: -1, start: 0 };
  let busy = 0;
  for (let head = 0, tail = 0; head < profile.samples.length; head++) {
    if (!idleIds.has(profile.samples[head])) busy += weightOf(head);
    while (offsets[head] - offsets[tail] > span) {
      if (!idleIds.has(profile.samples[tail])) busy -= weightOf(tail);
      tail++;
    }
    if (busy > best.busy) best = { busy, start: offsets[tail] };
  }
  window = [best.start, best.start + span];
}
const windowed = window[0] > 0 || window[1] < Infinity;
if (windowed)
  console.log(
    `window: ${(window[0] / 1e6).toFixed(1)} s – ${(Math.min(window[1], offsets.at(-1)) / 1e6).toFixed(1)} s`,
  );

const selfMicros = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  if (offsets[i] < window[0] || offsets[i] > window[1]) continue;
  const id = profile.samples[i];
  selfMicros.set(id, (selfMicros.get(id) ?? 0) + weightOf(i));
}
const total = [...selfMicros.values()].reduce((a, b) => a + b, 0);

function where(url) {
  if (!url) return '(native)';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + 13).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  return url.replace(/^file:\/\/.*?\/(libs|apps|tools)\//, '$1/');
}
const nameOf = (callFrame) =>
  `${callFrame.functionName || '(anonymous)'} ${where(callFrame.url)}:${callFrame.lineNumber + 1}`;

const byFunction = new Map();
const byPlace = new Map();
for (const [id, micros] of selfMicros) {
  const { callFrame } = byId.get(id);
  const place = where(callFrame.url);
  const fn = nameOf(callFrame);
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + micros);
  byPlace.set(place, (byPlace.get(place) ?? 0) + micros);
}
const idle = [...selfMicros].filter(([id]) => idleIds.has(id)).reduce((sum, [, micros]) => sum + micros, 0);
const print = (title, map, limit = top) => {
  console.log(
    `\n${title} (of ${(total / 1e6).toFixed(1)} s sampled, ${((100 * idle) / (total || 1)).toFixed(1)}% idle)`,
  );
  for (const [name, micros] of [...map].sort((a, b) => b[1] - a[1]).slice(0, limit)) {
    console.log(`${((100 * micros) / total).toFixed(1).padStart(5)}%  ${name}`);
  }
};
print('self time by package / file', byPlace);
print('self time by function', byFunction);

const parent = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

// Inclusive time: each sample counts once for every distinct function on its stack that passes
// `keep`, so a use case (or a library's entry point) shows what it costs in all.
function inclusiveOf(keep) {
  const inclusive = new Map();
  for (const [id, micros] of selfMicros) {
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const { callFrame } = byId.get(at);
      if (!keep(where(callFrame.url))) continue;
      const fn = nameOf(callFrame);
      if (seen.has(fn)) continue;
      seen.add(fn);
      inclusive.set(fn, (inclusive.get(fn) ?? 0) + micros);
    }
  }
  return inclusive;
}
print(
  'inclusive time of project functions',
  inclusiveOf((place) => /^(libs|apps|tools)\//.test(place)),
);
print(
  'inclusive time of all functions',
  inclusiveOf(() => true),
);
{
  // Inclusive by package: each sample counts once for every distinct package on its stack.
  const byPackage = new Map();
  for (const [id, micros] of selfMicros) {
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) seen.add(where(byId.get(at).callFrame.url));
    for (const place of seen) byPackage.set(place, (byPackage.get(place) ?? 0) + micros);
  }
  print('inclusive time by package / file', byPackage);
}

if (callers) {
  // For each matching function, its callers' chains (up to 12 frames), heaviest first.
  const pattern = new RegExp(callers);
  const chains = new Map();
  for (const [id, micros] of selfMicros) {
    const stack = [];
    for (let at = id; at !== undefined; at = parent.get(at)) stack.push(byId.get(at).callFrame);
    const hit = stack.findIndex((callFrame) => pattern.test(nameOf(callFrame)));
    if (hit < 0) continue;
    const chain = stack
      .slice(hit, hit + 12)
      .map(nameOf)
      .join('\n        ← ');
    chains.set(chain, (chains.get(chain) ?? 0) + micros);
  }
  print(`callers of /${callers}/`, chains, Math.min(top, 15));
}

// Reads a .cpuprofile (as GATEWAY_BENCH_PROFILE=<dir> writes them) and prints where the time went:
// self time by function and by file, and total (inclusive) time by function, each as a share of the
// sampled time. `npx tsx test/bench/gateway-profile-summary.ts <file.cpuprofile> [rows]`
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, rowsArgument] = process.argv.slice(2);
if (!file) throw new Error('usage: gateway-profile-summary.ts <file.cpuprofile> [rows]');
const rows = Number(rowsArgument ?? 30);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;

const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

/** A short place for a frame: the file below node_modules or the repository, and the line. */
function fileOf(url: string): string {
  if (!url) return '(native)';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) return url.slice(modules + 'node_modules/'.length);
  const source = /\/(src-[a-z]+\/.*|test\/.*)$/.exec(url);
  return source ? source[1]! : url.replace(/^file:\/\//, '');
}
const nameOf = (node: ProfileNode) =>
  `${node.callFrame.functionName || '(anonymous)'} ${fileOf(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`;

const self = new Map<string, number>();
const selfByFile = new Map<string, number>();
const total = new Map<string, number>();
let sampled = 0;
let idle = 0;
profile.samples.forEach((id, index) => {
  const delta = profile.timeDeltas[index] ?? 0;
  const node = byId.get(id)!;
  sampled += delta;
  if (node.callFrame.functionName === '(idle)') {
    idle += delta;
    return;
  }
  const name = nameOf(node);
  self.set(name, (self.get(name) ?? 0) + delta);
  const place = fileOf(node.callFrame.url);
  selfByFile.set(place, (selfByFile.get(place) ?? 0) + delta);
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const frame = nameOf(byId.get(at)!);
    if (seen.has(frame)) continue;
    seen.add(frame);
    total.set(frame, (total.get(frame) ?? 0) + delta);
  }
});

const busy = sampled - idle;
const print = (title: string, table: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [name, time] of [...table].sort((left, right) => right[1] - left[1]).slice(0, rows)) {
    console.log(`${(time / 1000).toFixed(0).padStart(8)} ms ${((100 * time) / busy).toFixed(1).padStart(5)}%  ${name}`);
  }
};
console.log(`${file}: ${(sampled / 1e6).toFixed(2)} s sampled, ${(busy / 1e6).toFixed(2)} s busy (shares below are of busy time)`);
print('Self time by function', self);
print('Self time by file', selfByFile);
print('Total time by function (inclusive)', total);

/**
 * SIGKILL for a command and everything it started, as a CI runner kills a job. Killing the process group is not
 * enough for the Pulumi CLI: it starts each plugin (the language host, the dynamic-provider host) in a process group
 * of its own (sdk/go/common/util/cmdutil `RegisterProcessGroup`). So the tree is found through /proc (Linux), frozen
 * with SIGSTOP so nothing forks or finishes meanwhile, then killed.
 */
import { readdirSync, readFileSync } from "node:fs";

/** pid → parent pid, for every process /proc shows now. */
function parentsByPid(): Map<number, number> {
  const parents = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ")".
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parents.set(Number(entry), ppid);
    } catch {
      // Gone between readdir and read.
    }
  }
  return parents;
}

/** `pid` and its descendants now living. */
function processTree(pid: number): number[] {
  const parents = parentsByPid();
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) {
    for (const [child, parent] of parents) if (parent === tree[i] && !tree.includes(child)) tree.push(child);
  }
  return tree.filter((p) => parents.has(p));
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

/** Freezes the whole tree under `pid`, then SIGKILLs every process in it. Returns how many processes it killed. */
export function killTree(pid: number): number {
  const frozen = new Set<number>();
  // A process may fork between the listing and the stop: list again until a round finds no one new.
  for (let round = 0; round < 10; round++) {
    const fresh = processTree(pid).filter((p) => !frozen.has(p));
    if (fresh.length === 0) break;
    for (const p of fresh) {
      signal(p, "SIGSTOP");
      frozen.add(p);
    }
  }
  for (const p of frozen) signal(p, "SIGKILL");
  return frozen.size;
}

import type { RecordedRequest } from "./types";

// A CLI emulator can run for days; past this many entries the oldest are forgotten so memory stays flat.
const MAX_RECORDED_REQUESTS = 10_000;

export class RequestLog {
  private entries: RecordedRequest[] = [];

  add(entry: RecordedRequest): void {
    this.entries.push(entry);
    if (this.entries.length > MAX_RECORDED_REQUESTS) this.entries.shift();
  }

  /** Copies in arrival order (entries are added when their reply is decided, which may be out of order). */
  list(): readonly RecordedRequest[] {
    return this.entries.map((entry) => structuredClone(entry)).sort((a, b) => a.seq - b.seq);
  }

  clear(): number {
    const cleared = this.entries.length;
    this.entries = [];
    return cleared;
  }
}

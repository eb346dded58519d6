// The downloads as people follow them: one "Download all" is one job (one row, its total progress, a
// cancel-all and its files behind an expander); the top bar's button sums up what runs and what failed.
import type { DownloadItem } from "./bindings/DownloadItem";
import type { DownloadJob } from "./bindings/DownloadJob";

export type { DownloadJob };

/** How "Download all" saves a basket: a folder named after it, or one zip of the same tree. */
export type DownloadAllAs = "folder" | "zip";
const DOWNLOAD_ALL_KEY = "phraseanet.downloadAllAs";

/** The person's choice, kept for the next run (a folder unless they chose the zip). */
export function downloadAllAs(): DownloadAllAs {
  return globalThis.localStorage?.getItem(DOWNLOAD_ALL_KEY) === "zip" ? "zip" : "folder";
}

export function setDownloadAllAs(choice: DownloadAllAs): void {
  globalThis.localStorage?.setItem(DOWNLOAD_ALL_KEY, choice);
}

/** The zip a "download all as a zip" packs its files into (an item of the job, `kind` archive). */
export const isArchive = (d: DownloadItem) => d.kind === "archive";

/** A job's zip, if it makes one. */
export const archiveOf = (items: DownloadItem[]): DownloadItem | null => items.find(isArchive) ?? null;

/** A job's files, without its zip (whose bytes are the files' again). */
export const filesOf = (items: DownloadItem[]): DownloadItem[] => items.filter((d) => !isArchive(d));

/** The "Download all" an item belongs to (its folder is named after the basket); older backends
 * leave it out: every item is then its own row. */
export const jobOf = (d: DownloadItem): DownloadJob | null => d.job ?? null;

const active = (d: DownloadItem) => d.state === "running" || d.state === "queued";

/** Progress of some downloads together (cancelled ones do not count). */
export type Totals = {
  done: number;
  all: number;
  running: number;
  failed: number;
  received: number;
  /** Null while a size is unknown. */
  total: number | null;
  /** Bytes a second of those running. */
  speed: number;
  /** At that speed, when the sizes are known. */
  seconds: number | null;
  /** 0..1 of the bytes (else of the files, while a size is unknown). */
  fraction: number;
};

export function totals(items: DownloadItem[]): Totals {
  const counted = items.filter((d) => d.state !== "cancelled");
  const running = counted.filter(active);
  const speed = running.reduce((n, d) => n + (d.bytes_per_sec ?? 0), 0);
  const sized = counted.every((d) => d.total !== null);
  const left = running.reduce((n, d) => n + (d.total !== null ? Math.max(0, d.total - d.received) : 0), 0);
  const done = counted.filter((d) => d.state === "done").length;
  const received = counted.reduce((n, d) => n + d.received, 0);
  const total = sized ? counted.reduce((n, d) => n + (d.total ?? 0), 0) : null;
  // Failed files are finished too: the ring fills once nothing runs.
  const finished = counted.filter((d) => !active(d)).length;
  const fraction = counted.length === 0 ? 0 : total ? Math.min(1, received / total) : finished / counted.length;
  return {
    done,
    all: counted.length,
    running: running.length,
    failed: counted.filter((d) => d.state === "failed").length,
    received,
    total,
    speed: running.length ? speed : 0,
    seconds: speed > 0 && sized ? left / speed : null,
    fraction: running.length ? fraction : counted.length ? 1 : 0,
  };
}

/** A row of the downloads panel: one file, or one job's files together. */
export type Row = { kind: "file"; item: DownloadItem } | { kind: "job"; job: DownloadJob; items: DownloadItem[] };

/** The rows in the order their first item came; a job's files stay together in its row. */
export function rows(items: DownloadItem[]): Row[] {
  const out: Row[] = [];
  const jobs = new Map<number, Extract<Row, { kind: "job" }>>();
  for (const item of items) {
    const job = jobOf(item);
    if (!job) {
      out.push({ kind: "file", item });
      continue;
    }
    const row = jobs.get(job.id);
    if (row) row.items.push(item);
    else {
      const fresh = { kind: "job" as const, job, items: [item] };
      jobs.set(job.id, fresh);
      out.push(fresh);
    }
  }
  return out;
}

/** A job's state as one: running while a file runs (or its zip packs), queued while a file waits,
 * else failed if one failed (its zip waits for it), else cancelled when every file was or the zip was,
 * else done once the zip (if any) is made. */
export function jobState(items: DownloadItem[]): DownloadItem["state"] {
  const files = filesOf(items);
  const zip = archiveOf(items);
  if (items.some((d) => d.state === "running")) return "running";
  if (files.some((d) => d.state === "queued")) return "queued";
  if (items.some((d) => d.state === "failed")) return "failed";
  if (zip?.state === "cancelled" || files.every((d) => d.state === "cancelled")) return "cancelled";
  if (zip?.state === "queued") return "queued";
  return "done";
}

/** Retry offers itself only where it can work: a failure the backend says is worth trying again
 * (older payloads without `retry` count as worth it), or a cancelled file. */
export function canRetry(d: DownloadItem): boolean {
  // A cancelled zip was given up with its files: there is nothing left to pack.
  if (d.state === "cancelled") return !isArchive(d);
  if (d.state !== "failed") return false;
  // Older payloads without `retry` count as worth it.
  return d.error?.retry !== false;
}

/** The name a file row shows: the file name once known, else the placeholder, never a path. */
export function readableName(d: DownloadItem): string {
  const name = d.file_name.split(/[\\/]/).pop() ?? d.file_name;
  return name.trim() || `${d.record.databox_id}_${d.record.record_id}`;
}

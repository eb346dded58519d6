import { beforeEach, describe, expect, it, vi } from "vitest";
import { render, fireEvent } from "@testing-library/svelte";

vi.mock("./ipc", () => import("../test/mocks").then((m) => m.ipcModule()));

import { canRetry, jobState, readableName, rows, totals, type DownloadJob } from "./downloads";
import { browse } from "./browse.svelte";
import { ipc, resetIpc } from "../test/mocks";
import { download } from "../test/fixtures";
import { $, settle } from "../test/util";
import DownloadsPanel from "../components/DownloadsPanel.svelte";
import DownloadsButton from "../components/DownloadsButton.svelte";
import type { DownloadItem } from "./bindings/DownloadItem";

const festival: DownloadJob = { id: 1, name: "Festival selects", count: 3 };
/** An item of the "Download all" `job`. */
const inJob = (id: number, state: DownloadItem["state"], extra: Partial<DownloadItem> = {}, job = festival) =>
  ({ ...download(id, state, extra), job }) as DownloadItem;
const failure = (retry: boolean) => ({ code: "no-such-subdef" as const, message: "No original", hint: null, detail: null, retry });

describe("download jobs", () => {
  it("one 'Download all' is one row; other files a row each, in the order they came", () => {
    const items = [download(1, "done"), inJob(2, "running"), inJob(3, "queued"), download(4), inJob(5, "done")];
    const shown = rows(items);
    expect(shown.map((r) => (r.kind === "job" ? `job ${r.job.id}: ${r.items.map((d) => d.id)}` : `file ${r.item.id}`))).toEqual([
      "file 1", "job 1: 2,3,5", "file 4",
    ]);
  });

  it.each([
    [["running", "done"], "running"],
    [["queued", "done"], "queued"],
    [["failed", "done"], "failed"],
    [["cancelled", "cancelled"], "cancelled"],
    [["done", "cancelled"], "done"],
  ] as const)("files %j make a job %s", (states, state) => {
    expect(jobState(states.map((s, i) => download(i, s)))).toBe(state);
  });

  it("sums a job: files done, bytes, speed and time left; cancelled files do not count", () => {
    const s = totals([
      download(1, "running", { received: 500, total: 1000, bytes_per_sec: 100 }),
      download(2, "done", { received: 1000, total: 1000 }),
      download(3, "cancelled", { received: 10, total: 5000 }),
    ]);
    expect(s).toMatchObject({ done: 1, all: 2, running: 1, received: 1500, total: 2000, speed: 100, seconds: 5, fraction: 0.75 });
  });

  it("offers Retry only where it can work", () => {
    expect(canRetry(download(1, "failed", { error: failure(false) }))).toBe(false);
    expect(canRetry(download(1, "failed", { error: failure(true) }))).toBe(true);
    expect(canRetry(download(1, "cancelled"))).toBe(true);
    expect(canRetry(download(1, "done"))).toBe(false);
  });

  it("names files readably, never as a path", () => {
    expect(readableName(download(1, "done", { file_name: "Festival/IMG_0042.jpg" }))).toBe("IMG_0042.jpg");
  });
});

describe("DownloadsPanel", () => {
  beforeEach(() => {
    resetIpc();
    ipc.downloadFolder.mockResolvedValue("/home/mara/Downloads");
    ipc.cancelDownload.mockResolvedValue(undefined);
  });

  it("shows a job as one row with its total, cancels all of it, and lists its files on demand", async () => {
    browse.downloads = [
      inJob(2, "running", { received: 400, total: 1000, bytes_per_sec: 200 }),
      inJob(3, "queued", { total: 1000 }),
      inJob(4, "done", { received: 1000, total: 1000 }),
    ];
    render(DownloadsPanel, { onclose: () => {} });
    await settle();
    const row = $('[data-job="1"]')!;
    expect(row.querySelector(".job-name")?.textContent).toBe("Festival selects");
    expect(row.textContent).toContain("3 files");
    expect($('[data-job-total="1"]')?.textContent).toContain("1 of 3 done");
    expect($('[data-job-files="1"]')?.hasAttribute("open")).toBe(false);
    expect(document.querySelectorAll("#download-list > li").length).toBe(1);
    await fireEvent.click($('[data-cancel-job="1"]')!);
    expect(ipc.cancelDownload.mock.calls.map((c) => c[0]).sort()).toEqual([2, 3]);
  });

  it("a failure that cannot work again offers no Retry, and no row that stopped moves", async () => {
    browse.downloads = [
      download(7, "failed", { error: failure(false), received: 10, total: 100 }),
      download(8, "cancelled", { received: 10 }),
      download(9, "running"),
    ];
    render(DownloadsPanel, { onclose: () => {} });
    await settle();
    expect($('[data-download="7"] [data-retry]')).toBeNull();
    expect($('[data-download="8"] [data-retry]')).not.toBeNull();
    // An indeterminate <progress> (no value) animates: only the running row may have one.
    const still = (id: number) => $(`[data-download="${id}"] progress`)?.hasAttribute("value");
    expect(still(7)).toBe(true);
    expect(still(8)).toBe(true);
    expect(still(9)).toBe(false);
  });
});

describe("DownloadsButton", () => {
  it("counts what runs, rings the total and badges the failures", () => {
    browse.downloads = [
      download(1, "running", { received: 250, total: 1000 }),
      download(2, "failed", { received: 0, total: 1000, error: failure(true) }),
      download(3, "done", { received: 1000, total: 1000 }),
    ];
    render(DownloadsButton);
    expect($("#downloads-running")?.textContent).toBe("1");
    expect($("#downloads-failed")?.textContent).toBe("1");
    expect($("#downloads-ring")?.dataset.percent).toBe("42");
    expect($("#downloads-btn")?.getAttribute("aria-label")).toBe("Downloads, 1 downloading, 1 failed");
  });

  it("shows no ring and no badge when nothing runs and nothing failed", () => {
    browse.downloads = [download(1, "done", { received: 5, total: 5 })];
    render(DownloadsButton);
    expect($("#downloads-ring")).toBeNull();
    expect($("#downloads-failed")).toBeNull();
    expect($("#downloads-running")).toBeNull();
  });
});

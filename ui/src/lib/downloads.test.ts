import { beforeEach, describe, expect, it, vi } from "vitest";
import { render, fireEvent } from "@testing-library/svelte";

vi.mock("./ipc", () => import("../test/mocks").then((m) => m.ipcModule()));

import { canRetry, downloadAllAs, jobState, readableName, rows, setDownloadAllAs, totals, type DownloadJob } from "./downloads";
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

describe("Download all as a zip", () => {
  const zip = (state: DownloadItem["state"], extra: Partial<DownloadItem> = {}) =>
    inJob(9, state, { kind: "archive", subdef: "zip", file_name: "Festival selects.zip", folder: "/home/mara/Downloads", ...extra });

  beforeEach(() => {
    resetIpc();
    localStorage.clear();
    ipc.downloadFolder.mockResolvedValue("/home/mara/Downloads");
    ipc.revealDownload.mockResolvedValue(undefined);
  });

  it("the job is done only once its zip is made, and waits (failed) while a file failed", () => {
    expect(jobState([inJob(2, "done"), inJob(3, "running"), zip("queued")])).toBe("running");
    expect(jobState([inJob(2, "done"), inJob(3, "done"), zip("queued")])).toBe("queued");
    expect(jobState([inJob(2, "done"), inJob(3, "failed"), zip("queued")])).toBe("failed");
    expect(jobState([inJob(2, "done"), inJob(3, "done"), zip("running")])).toBe("running");
    expect(jobState([inJob(2, "done"), inJob(3, "done"), zip("done")])).toBe("done");
    expect(jobState([inJob(2, "done"), inJob(3, "cancelled"), zip("cancelled")])).toBe("cancelled");
    expect(canRetry(zip("cancelled")), "a given-up zip has nothing to pack").toBe(false);
    expect(canRetry(zip("failed", { error: failure(true) }))).toBe(true);
  });

  it("the choice is kept for the next run; a folder unless the zip was chosen", async () => {
    expect(downloadAllAs()).toBe("folder");
    browse.downloads = [];
    render(DownloadsPanel, { onclose: () => {} });
    await settle();
    const choice = (v: string) => $(`#download-all-as input[value="${v}"]`) as HTMLInputElement;
    expect(choice("folder").checked).toBe(true);
    await fireEvent.click(choice("zip"));
    await settle();
    expect(downloadAllAs()).toBe("zip");
    setDownloadAllAs("folder");
    expect(localStorage.getItem("phraseanet.downloadAllAs")).toBe("folder");
  });

  it("a job's row says what its zip is doing; the totals count the files once, and Show in folder opens the zip", async () => {
    browse.downloads = [
      inJob(2, "done", { received: 1000, total: 1000 }),
      inJob(3, "done", { received: 1000, total: 1000 }),
      zip("running", { received: 500, total: 2000 }),
    ];
    const { unmount } = render(DownloadsPanel, { onclose: () => {} });
    await settle();
    expect($('[data-job="1"]')?.getAttribute("data-state")).toBe("running");
    expect($('[data-job-archive="1"]')?.textContent).toBe("Packing Festival selects.zip · 25 %");
    expect($('[data-job-total="1"]')?.textContent).toContain("2 of 2 done · 2 kB / 2 kB");
    expect($('[data-job="1"]')?.textContent).toContain("3 files");
    expect(document.querySelectorAll('[data-job-files="1"] li').length, "the zip is not one of the files").toBe(2);
    unmount();

    browse.downloads = [inJob(2, "done"), inJob(3, "done"), zip("done", { path: "/home/mara/Downloads/Festival selects.zip" })];
    render(DownloadsPanel, { onclose: () => {} });
    await settle();
    expect($('[data-job-archive="1"]')?.textContent).toBe("Saved as Festival selects.zip");
    await fireEvent.click($('[data-reveal-archive="1"]')!);
    expect(ipc.revealDownload).toHaveBeenCalledWith(9);
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

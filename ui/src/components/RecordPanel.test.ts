import { describe, expect, it, vi } from "vitest";
import { render, fireEvent } from "@testing-library/svelte";

vi.mock("@tauri-apps/api/core", () => import("../test/mocks").then((m) => m.tauriCore()));

import RecordPanel from "./RecordPanel.svelte";
import * as fixtures from "../test/fixtures";
import { pwned } from "../test/fixtures";
import type { SubdefInfo } from "../lib/bindings/SubdefInfo";

const hostile = `${fixtures.hostile}<script>window.__pwned=1</script>`;

const subdef = (name: string, extra: Partial<SubdefInfo> = {}): SubdefInfo => ({
  name, width: 800, height: 533, filesize: 91230, mime: "image/jpeg", player_type: "IMAGE", plays: "image",
  path: `sub/1/7/${name}`, permalink: null, ...extra,
});

const details = fixtures.details(7, {
  title: hostile,
  original_name: "..\\..\\evil.jpg",
  created_on: "2025-01-02T10:00:00+01:00",
  base_id: 3,
  collection_id: 2,
  sha256: "a".repeat(64),
  caption: [
    { name: "Title", value: hostile },
    { name: "Empty", value: null },
    { name: "Keywords", value: "nature;nature;sea" },
  ],
  technical: [
    { name: "Width", value: 6000 },
    { name: "Height", value: 4000 },
    { name: "ShutterSpeed", value: 0.004 },
    { name: "Aperture", value: 5.6 },
  ],
  status: [
    { bit: 4, state: true, label: "Validated", on_label: "Validated", off_label: "Pending" },
    { bit: 5, state: false, label: "Not a draft", on_label: "Draft", off_label: "Not a draft" },
  ],
  subdefs: [subdef("document", { width: 6000, height: 4000 }), subdef("preview")],
});

const handlers = { problem: null, onclose: () => {}, onview: () => {}, ondownload: () => {}, oncopy: () => {} };

describe("RecordPanel", () => {
  it("shows server text as text: no markup from a caption ever becomes an element", () => {
    const { container } = render(RecordPanel, { details, ...handlers });
    expect(container.querySelector("#record-title")?.textContent).toBe(hostile);
    expect(container.querySelector("#caption dd")?.textContent).toBe(hostile);
    expect(container.querySelector("img, script")).toBeNull();
    expect(pwned()).toBeUndefined();
    expect(container.querySelector("#subdefs")?.textContent).toContain("800×533");
    expect(container.querySelector("#subdefs")?.textContent).toContain("91.2 kB");
  });

  it("reads like an inspector: human labels and units, keywords as distinct chips", () => {
    const { container } = render(RecordPanel, { details, ...handlers });
    const fact = (key: string) => container.querySelector(`#facts [data-fact="${key}"]`)?.textContent;
    expect(fact("Resolution")).toBe("24 MP (6000×4000)");
    expect(fact("ShutterSpeed")).toBe("1/250 s");
    expect(fact("Aperture")).toBe("f/5.6");
    expect(fact("MimeType")).toBe("image/jpeg");
    expect(container.querySelector("#facts")?.textContent).toContain("Shutter speed");
    const chips = [...container.querySelectorAll('#caption [data-field="Keywords"] .chip')].map((c) => c.textContent);
    expect(chips).toEqual(["nature", "sea"]);
  });

  it("names versions for people, and shows only the set status flags up front", () => {
    const { container } = render(RecordPanel, { details, ...handlers });
    const names = [...container.querySelectorAll("#subdefs .version-name")].map((n) => n.textContent);
    expect(names).toEqual(["Original", "Preview"]);
    expect(container.querySelector("#status")?.textContent).toBe("Validated");
    expect(container.querySelector("#status")?.textContent).not.toContain("Draft");
    expect(container.querySelector("#technical-details #status-unset")?.textContent).toContain("Draft");
  });

  it("keeps the SHA-256 and the raw data under a closed 'Technical details'", () => {
    const { container } = render(RecordPanel, { details, ...handlers });
    const fold = container.querySelector("#technical-details") as HTMLDetailsElement;
    expect(fold.open).toBe(false);
    expect(fold.querySelector("summary")?.textContent).toBe("Technical details");
    expect(fold.querySelector("#sha256")?.textContent).toBe("a".repeat(64));
    expect(fold.querySelector("#technical")?.textContent).toContain("ShutterSpeed");
  });

  it("offers 'Download original' only when the server lists the original", async () => {
    const ondownload = vi.fn();
    const { container, unmount } = render(RecordPanel, { details, ...handlers, ondownload });
    await fireEvent.click(container.querySelector("#download-original")!);
    expect(ondownload).toHaveBeenCalledWith(null);
    unmount();
    const withheld = render(RecordPanel, { details: { ...details, subdefs: [subdef("preview")] }, ...handlers });
    expect(withheld.container.querySelector("#download-original")).toBeNull();
  });

  it("a story's line starts with what there is: no dangling separator", () => {
    const story = fixtures.details(9, { kind: "story", mime: null, original_name: null, created_on: "2024-04-13T10:00:00Z" });
    const { container } = render(RecordPanel, { details: story, ...handlers });
    expect(container.querySelector("#record-meta")?.textContent).toMatch(/^Created /);
    expect(container.querySelector("#download-original")).toBeNull();
  });

  it("shows the picture at the top: the preview, else the cell's thumbnail while loading", () => {
    const { container, unmount } = render(RecordPanel, { details, ...handlers, profile: "Work" });
    expect(container.querySelector("#record-picture")?.getAttribute("src")).toBe(
      `pmedia://localhost/${encodeURIComponent("Work/sub/1/7/preview")}`,
    );
    unmount();
    const item = fixtures.element(7, { thumb: { w: 240, h: 160 } });
    const loading = render(RecordPanel, { details: null, ...handlers, profile: "Work", item });
    expect(loading.container.querySelector("#record-picture")?.getAttribute("src")).toContain(encodeURIComponent("thumb/1/7"));
  });

  it("loads with skeleton rows, not a 'Loading…' heading", () => {
    const { container } = render(RecordPanel, { details: null, ...handlers });
    expect(container.querySelector("#record-title")?.textContent).toBe("");
    expect(container.querySelectorAll("#record-skeleton .skeleton-row").length).toBeGreaterThan(2);
    expect(container.textContent).not.toContain("Loading…");
  });

  it("a failed load offers Retry when retrying can work", async () => {
    const onretry = vi.fn();
    const problem = { code: "network" as const, message: "Cannot reach the server", hint: null, detail: "os error 111", retry: true };
    const { container } = render(RecordPanel, { details: null, ...handlers, problem, onretry });
    expect(container.querySelector("#record-skeleton")).toBeNull();
    await fireEvent.click(container.querySelector("#record-error .retry")!);
    expect(onretry).toHaveBeenCalledTimes(1);
  });
});

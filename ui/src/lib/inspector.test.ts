import { describe, expect, it } from "vitest";
import { chips, facts, flags, mayDownloadOriginal, panelPicture, rawFacts, resolution, spaced, techLabel, techValue, versionName } from "./inspector";
import type { SubdefInfo } from "./bindings/SubdefInfo";

const subdef = (name: string, extra: Partial<SubdefInfo> = {}): SubdefInfo => ({
  name, width: 800, height: 600, filesize: 1000, mime: "image/jpeg", player_type: "IMAGE", plays: "image",
  path: `sub/1/7/${name}`, permalink: null, ...extra,
});

describe("techValue: each technical field with its unit", () => {
  it.each([
    ["ShutterSpeed", 0.004, "1/250 s"],
    ["ShutterSpeed", 0.5, "1/2 s"],
    ["ShutterSpeed", 2, "2 s"],
    ["ShutterSpeed", "0.008", "1/125 s"],
    ["Aperture", 5.6, "f/5.6"],
    ["Aperture", 8, "f/8"],
    ["Duration", 222, "3:42"],
    ["Duration", 3, "0:03"],
    ["Duration", 3723, "1:02:03"],
    ["AudioSamplerate", 44100, "44.1 kHz"],
    ["AudioSamplerate", 48000, "48 kHz"],
    ["FileSize", 2_400_000, "2.4 MB"],
    ["FocalLength", 50, "50 mm"],
    ["AudioBitrate", 128000, "128 kbit/s"],
    ["VideoBitrate", 4_500_000, "4.5 Mbit/s"],
    ["FlashFired", true, "Yes"],
    ["FlashFired", false, "No"],
    ["CameraModel", "X-T4", "X-T4"],
    ["Unknown", 12345, "12,345"],
    ["Unknown", null, ""],
  ] as const)("%s %s → %s", (name, value, shown) => {
    expect(techValue(name, value)).toBe(shown);
  });
});

describe("labels", () => {
  it.each([
    ["MimeType", "Type"],
    ["AudioSamplerate", "Sample rate"],
    ["CameraModel", "Camera"],
    ["ShutterSpeed", "Shutter speed"],
    ["SomeNewField", "Some new field"],
    ["GPSAltitude", "GPS altitude"],
  ])("%s reads %s", (name, label) => {
    expect(techLabel(name)).toBe(label);
  });

  it("spaces unknown names into words", () => {
    expect(spaced("bits_per_sample")).toBe("Bits per sample");
  });
});

describe("resolution", () => {
  it.each([
    [6000, 4000, "24 MP (6000×4000)"],
    [1920, 1080, "2.1 MP (1920×1080)"],
    [200, 150, "200×150"],
  ])("%s×%s → %s", (w, h, shown) => expect(resolution(w, h)).toBe(shown));
});

describe("facts: what the inspector shows first", () => {
  it("reads width and height together, puts the type first, and skips what is absent", () => {
    const shown = facts(
      [
        { name: "Width", value: 6000 },
        { name: "Height", value: 4000 },
        { name: "ShutterSpeed", value: 0.004 },
        { name: "Aperture", value: 5.6 },
        { name: "FileSize", value: 12_500_000 },
        { name: "Orientation", value: 1 },
      ],
      "image/jpeg",
    );
    expect(shown.map((f) => [f.label, f.value])).toEqual([
      ["Type", "image/jpeg"],
      ["File size", "12.5 MB"],
      ["Resolution", "24 MP (6000×4000)"],
      ["Shutter speed", "1/250 s"],
      ["Aperture", "f/5.6"],
    ]);
  });

  it("keeps every field as it came for the technical details", () => {
    expect(rawFacts([{ name: "Orientation", value: 1 }])).toEqual([{ key: "Orientation", label: "Orientation", value: "1" }]);
  });
});

describe("chips: multi-valued caption fields", () => {
  it.each([
    ["nature;nature", ["nature"]],
    ["sea; sky ;sea;", ["sea", "sky"]],
    ["One plain value", null],
    [null, null],
    ["A long sentence that happens to hold a semicolon somewhere in the middle of it; and then more words", null],
  ] as const)("%s → %s", (value, shown) => {
    expect(chips(value)).toEqual(shown);
  });
});

describe("versions and rights", () => {
  it.each([
    ["document", "Original"],
    ["preview", "Preview"],
    ["thumbnail", "Thumbnail"],
    ["preview_hd", "preview_hd"],
  ])("%s is named %s", (name, shown) => expect(versionName(name)).toBe(shown));

  it("offers the original only when the server lists it", () => {
    expect(mayDownloadOriginal([subdef("preview")])).toBe(false);
    expect(mayDownloadOriginal([subdef("document"), subdef("preview")])).toBe(true);
  });

  it("pictures the record with its preview image, else its thumbnail", () => {
    expect(panelPicture([subdef("document"), subdef("thumbnail"), subdef("preview")])?.name).toBe("preview");
    expect(panelPicture([subdef("preview", { plays: "video" }), subdef("thumbnail")])?.name).toBe("thumbnail");
    expect(panelPicture([subdef("document")])).toBeNull();
  });

  it("shows the set status flags, the unset ones apart", () => {
    const shown = flags([
      { bit: 4, state: true, label: "Validated", on_label: "Validated", off_label: "Pending" },
      { bit: 5, state: false, label: "Not a draft", on_label: "Draft", off_label: "Not a draft" },
    ]);
    expect(shown).toEqual({ set: ["Validated"], unset: ["Draft"] });
  });
});

import { describe, expect, it } from "vitest";
import { formatBytes, formatDate, formatDay, formatDuration, formatMonthDay, formatNumber, formatTime, hostOf } from "./format";
import { localeFor } from "./i18n/locale";

// U+202F, the narrow no-break space Intl puts between French thousands and before French units.
const NNBSP = "\u202f";
const ar = localeFor("ar", []);

describe("hostOf", () => {
  it("shows a server as its host, with a non-default port", () => {
    expect(hostOf("https://dam.example.org/")).toBe("dam.example.org");
    expect(hostOf("http://127.0.0.1:38361/")).toBe("127.0.0.1:38361");
    expect(hostOf("https://dam.example.org:443/")).toBe("dam.example.org");
  });

  it("keeps what it cannot parse", () => {
    expect(hostOf("not a url")).toBe("not a url");
  });
});

describe("numbers", () => {
  it("groups thousands the language's way", () => {
    expect(formatNumber(10_000, "en")).toBe("10,000");
    expect(formatNumber(10_000, "fr")).toBe(`10${NNBSP}000`);
    expect(formatNumber(10_000, "de")).toBe("10.000");
    expect(formatNumber(1.5, "de")).toBe("1,5");
  });

  it("writes Arabic with Latin digits: ICU gives Eastern Arabic ones for regional tags such as ar-EG", () => {
    expect(new Intl.NumberFormat("ar-EG").format(10_000)).toBe("١٠٬٠٠٠");
    expect(formatNumber(10_000, localeFor("ar", ["ar-EG"]))).toBe("10,000");
    expect(formatNumber(10_000, ar)).toBe("10,000");
  });

  it("follows the window's language by default (English in the tests)", () => {
    expect(formatNumber(10_000)).toBe("10,000");
  });
});

describe("formatBytes", () => {
  it("writes sizes for people, with one decimal below 100", () => {
    expect(formatBytes(512)).toBe("512 bytes");
    expect(formatBytes(91_230)).toBe("91.2 kB");
    expect(formatBytes(340_000)).toBe("340 kB");
    expect(formatBytes(8_312_044)).toBe("8.3 MB");
    expect(formatBytes(2_000_000_000)).toBe("2 GB");
    expect(formatBytes(null)).toBe("");
    expect(formatBytes(-1)).toBe("");
  });

  it("names units and decimals in each language", () => {
    expect(formatBytes(12_500_000, "en")).toBe("12.5 MB");
    expect(formatBytes(12_500_000, "fr")).toBe(`12,5${NNBSP}Mo`);
    expect(formatBytes(12_500_000, "de")).toBe("12,5 MB");
    expect(formatBytes(512, "fr")).toMatch(/^512\soctets$/);
    expect(formatBytes(12_500_000, ar)).toMatch(/^12\.5\s\S+$/);
  });

  it("rounds just under 100 up to a whole 100", () => {
    expect(formatBytes(99_970, "en")).toBe("100 kB");
  });
});

describe("dates and times", () => {
  it("writes dates, and nothing for unknown or broken ones", () => {
    expect(formatDate("2025-02-05T14:00:00+01:00", "en-GB")).toBe("5 Feb 2025");
    expect(formatDate(null)).toBe("");
    expect(formatDate("-0001-11-30T00:00:00+00:09x")).toBe("");
  });

  it("writes dates in each language", () => {
    const iso = "2025-02-05T12:00:00Z";
    expect(formatDate(iso, "fr")).toBe("5 févr. 2025");
    expect(formatDate(iso, "de")).toBe("5. Feb. 2025");
    expect(formatDate(iso, ar)).toBe("5 فبراير 2025");
  });

  it("shows a date input's day as that local day, and keeps what it cannot read", () => {
    expect(formatDay("2025-03-01", "en-US")).toBe("Mar 1, 2025");
    expect(formatDay("2025-03-01", "fr")).toBe("1 mars 2025");
    expect(formatDay("soon", "en-US")).toBe("soon");
  });

  it("writes a time of day the language's way", () => {
    const at = new Date(2025, 1, 5, 14, 32).getTime() / 1000;
    expect(formatTime(at, "fr")).toBe("14:32");
    expect(formatTime(at, "de")).toBe("14:32");
    expect(formatTime(at, "en-US")).toMatch(/^02:32\sPM$/);
  });

  it("writes a recent day without its year, the language's way", () => {
    const at = new Date(2025, 4, 2, 9, 5).getTime() / 1000;
    expect(formatMonthDay(at, "en-US")).toBe("May 2");
    expect(formatMonthDay(at, "fr")).toBe("2 mai");
    expect(formatMonthDay(at, "de")).toBe("2. Mai");
    expect(formatMonthDay(at, ar)).toBe("2 مايو");
  });
});

describe("formatDuration", () => {
  it("reads as a clock: m:ss, then h:mm:ss", () => {
    expect(formatDuration(45)).toBe("0:45");
    expect(formatDuration(222)).toBe("3:42");
    expect(formatDuration(3723)).toBe("1:02:03");
    expect(formatDuration(-5)).toBe("0:00");
    expect(formatDuration(59.6)).toBe("1:00");
  });

  it("keeps the language's digits", () => {
    expect(formatDuration(3723, "fr")).toBe("1:02:03");
    expect(formatDuration(222, ar)).toBe("3:42");
  });
});

import { describe, expect, it } from "vitest";
import { formatDay, hostOf } from "./format";

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

import { formatBytes, formatDate } from "./format";

describe("formatBytes and formatDate", () => {
  it("writes sizes for people", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(91_230)).toBe("91 kB");
    expect(formatBytes(8_312_044)).toBe("8.3 MB");
    expect(formatBytes(null)).toBe("");
  });

  it("writes dates, and nothing for unknown or broken ones", () => {
    expect(formatDate("2025-02-05T14:00:00+01:00", "en-GB")).toBe("5 Feb 2025");
    expect(formatDate(null)).toBe("");
    expect(formatDate("-0001-11-30T00:00:00+00:09x")).toBe("");
  });
});

describe("formatDay", () => {
  it("shows a date input's day as that local day, and keeps what it cannot read", () => {
    expect(formatDay("2025-03-01", "en-US")).toBe("Mar 1, 2025");
    expect(formatDay("soon", "en-US")).toBe("soon");
  });
});

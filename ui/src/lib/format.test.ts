import { describe, expect, it } from "vitest";
import { hostOf } from "./format";

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

import { describe, expect, it, vi, afterEach } from "vitest";
import { app, sessionEnded, watchExpiry, RENEW_BEFORE_MS } from "./app.svelte";
import * as fixtures from "../test/fixtures";

const profile = fixtures.profile({ user_name: "Mara", signed_in: true });
const account = (expires: number | null) => fixtures.account({ token_expires_at: expires });

describe("watchExpiry", () => {
  afterEach(() => {
    watchExpiry(null);
    app.reauth = null;
    vi.useRealTimers();
  });

  it("asks for a new sign-in two minutes before a token the server said expires", () => {
    vi.useFakeTimers();
    const expires = Math.floor(Date.now() / 1000) + 10 * 60;
    watchExpiry(account(expires));
    vi.advanceTimersByTime(10 * 60 * 1000 - RENEW_BEFORE_MS - 1000);
    expect(app.reauth).toBeNull();
    vi.advanceTimersByTime(2000);
    expect(app.reauth?.expiresAt).toBe(expires * 1000);
    expect(app.reauth?.profile.name).toBe("Work");
  });

  it("does nothing for tokens without an expiry, and a new account disarms the old timer", () => {
    vi.useFakeTimers();
    watchExpiry(account(null));
    vi.advanceTimersByTime(365 * 24 * 3600 * 1000);
    expect(app.reauth).toBeNull();
    watchExpiry(account(Math.floor(Date.now() / 1000) + 600));
    watchExpiry(account(null));
    vi.advanceTimersByTime(3600 * 1000);
    expect(app.reauth).toBeNull();
  });

  it("an expiry far away (beyond setTimeout's range) is re-armed, not fired at once", () => {
    vi.useFakeTimers();
    watchExpiry(account(Math.floor(Date.now() / 1000) + 60 * 24 * 3600));
    vi.advanceTimersByTime(30 * 24 * 3600 * 1000);
    expect(app.reauth).toBeNull();
    vi.advanceTimersByTime(30 * 24 * 3600 * 1000);
    expect(app.reauth).not.toBeNull();
  });
});

describe("sessionEnded", () => {
  afterEach(() => {
    app.reauth = null;
    app.screen = { name: "loading" };
  });

  it("raises the re-sign-in dialog once, and not on that profile's sign-in screen", () => {
    app.profiles = [{ ...profile }];
    app.screen = { name: "main", account: account(null) };
    sessionEnded("Work", { message: "revoked" });
    expect(app.reauth?.message).toBe("revoked");
    sessionEnded("Work", { message: "not signed in" });
    expect(app.reauth?.message).toBe("revoked", );
    expect(app.profile("Work")?.signed_in).toBe(false);

    // The person chose "Sign in again"; a late failure of the old session must not cover that screen.
    app.reauth = null;
    app.screen = { name: "sign-in", profile: "Work", demo: null };
    sessionEnded("Work", { message: "late" });
    expect(app.reauth).toBeNull();
    sessionEnded("Nobody", { message: "x" });
    expect(app.reauth).toBeNull();
  });
});

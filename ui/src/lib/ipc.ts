// The one door from the webview to the Rust backend. Payload types are generated from Rust
// (./bindings). The webview never talks to a Phraseanet server and never holds a token or secret:
// it names profiles, the backend holds the credentials.
import { invoke } from "@tauri-apps/api/core";
import type { AppInfo } from "./bindings/AppInfo";
import type { AuthorizeRequest } from "./bindings/AuthorizeRequest";
import type { CodeCheck } from "./bindings/CodeCheck";
import type { DemoServer } from "./bindings/DemoServer";
import type { NewProfile } from "./bindings/NewProfile";
import type { ProfileSummary } from "./bindings/ProfileSummary";
import type { ProfilesState } from "./bindings/ProfilesState";
import type { ServerInfo } from "./bindings/ServerInfo";
import type { Account } from "./bindings/Account";
import { toProblem, type Problem } from "./errors";

type SignedOutListener = (profile: string, problem: Problem) => void;
let onSignedOut: SignedOutListener | null = null;

/** Called with the profile whose token the server rejected (revoked or expired). */
export function whenSignedOut(listener: SignedOutListener | null): void {
  onSignedOut = listener;
}

/** Invokes a command; failures reject with a `Problem` ({code, message, hint}). */
async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (raw) {
    const problem = toProblem(raw);
    const profile = typeof args?.profile === "string" ? args.profile : null;
    if (problem.code === "signed-out" && profile && onSignedOut) onSignedOut(profile, problem);
    throw problem;
  }
}

export const ipc = {
  about: () => call<AppInfo>("about"),
  profiles: () => call<ProfilesState>("profiles"),
  checkServer: (server: string) => call<ServerInfo>("check_server", { server }),
  saveProfile: (profile: NewProfile) => call<ProfileSummary>("save_profile", { profile }),
  removeProfile: (profile: string) => call<ProfilesState>("remove_profile", { profile }),
  startDemo: () => call<DemoServer>("start_demo"),
  openSignIn: (profile: string) => call<AuthorizeRequest>("open_sign_in", { profile }),
  checkCode: (text: string) => call<CodeCheck>("check_code", { text }),
  clipboardCode: () => call<string | null>("clipboard_code"),
  signInWithCode: (profile: string, pasted: string) =>
    call<Account>("sign_in_with_code", { profile, pasted }),
  signInWithToken: (profile: string, token: string) =>
    call<Account>("sign_in_with_token", { profile, token }),
  signInWithPassword: (profile: string, login: string, password: string) =>
    call<Account>("sign_in_with_password", { profile, login, password }),
  resume: (profile: string) => call<Account>("resume", { profile }),
  signOut: (profile: string) => call<ProfilesState>("sign_out", { profile }),
};

// The one door from the webview to the Rust backend. Payload types come from Rust (./bindings);
// nothing here talks to a Phraseanet server directly.
import { invoke } from "@tauri-apps/api/core";
import type { AppInfo } from "./bindings/AppInfo";

export const ipc = {
  about: (): Promise<AppInfo> => invoke<AppInfo>("about"),
};

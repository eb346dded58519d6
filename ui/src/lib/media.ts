// Where the webview loads media from: the backend's `pmedia:` scheme, never the server itself.
import { convertFileSrc } from "@tauri-apps/api/core";

/** `thumb/<d>/<r>` or `sub/<d>/<r>/<name>` for a profile, as a URL the webview can load. */
export function mediaUrl(profile: string, path: string): string {
  return convertFileSrc(`${profile}/${path}`, "pmedia");
}

export function thumbPath(databoxId: number, recordId: number): string {
  return `thumb/${databoxId}/${recordId}`;
}

/** The record's `preview` subdef: the bigger picture a large grid tile loads over its thumbnail. */
export function previewPath(databoxId: number, recordId: number): string {
  return `sub/${databoxId}/${recordId}/preview`;
}

/**
 * For `<video>` and `<audio>`: the backend's loopback endpoint (`base` from the `media_base` command).
 * WebKitGTK's player cannot read a custom scheme; it streams from loopback HTTP with ranges.
 */
export function playerUrl(base: string | null, profile: string, path: string): string {
  return base ? `${base}${encodeURIComponent(profile)}/${path}` : mediaUrl(profile, path);
}

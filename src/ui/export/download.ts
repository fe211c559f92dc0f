/** Handing exported files to the browser: downloads through an anchor, and the clipboard. */

/** A file ready to download. */
export interface ExportFile {
  name: string;
  blob: Blob;
}

/**
 * How long an object URL stays valid after its download starts, in milliseconds. Chromium reads
 * the blob when the download starts, but a large weights file on a slow disk can take a moment.
 */
const REVOKE_DELAY_MS = 30_000;

/** Builds an export file from text or bytes. */
export function exportFile(name: string, content: string | Uint8Array, type: string): ExportFile {
  const part = typeof content === 'string' ? content : (content.slice().buffer as ArrayBuffer);
  return { name, blob: new Blob([part], { type }) };
}

/** Starts the download of one file, as a click on a link with a `download` attribute does. */
export function downloadFile(file: ExportFile): void {
  const url = URL.createObjectURL(file.blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = file.name;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), REVOKE_DELAY_MS);
}

/** Copies text to the clipboard; returns false where the browser refuses, e.g. without a secure context. */
export async function copyText(text: string): Promise<boolean> {
  if (!globalThis.navigator?.clipboard?.writeText) return false;
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch (error) {
    console.warn('Layerlab: copying to the clipboard failed', error);
    return false;
  }
}

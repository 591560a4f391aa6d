/**
 * Which IPC senders are trusted: the main window's top frame, showing the app's own origin.
 * Sub-frames (there are none, but a compromised page could try), other windows (the TLS window)
 * and any other origin are refused. Pure, so it is unit-tested without Electron.
 */
export interface SenderFacts {
  /** The frame's URL (senderFrame.url). */
  url: string | undefined;
  /** senderFrame is the main window's top frame (frame === win.webContents.mainFrame). */
  isMainWindowTopFrame: boolean;
}

export function isTrustedSender(facts: SenderFacts | null, appOrigin: string): boolean {
  if (!facts || !facts.isMainWindowTopFrame || !facts.url) return false;
  try {
    const u = new URL(facts.url);
    return `${u.protocol}//${u.host}` === appOrigin;
  } catch {
    return false;
  }
}

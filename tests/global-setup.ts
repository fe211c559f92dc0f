/**
 * Builds the app once before any test file runs, so that end-to-end files running in parallel
 * never build dist/ at the same time. Skipped without Chromium, since only browser tests use it.
 */
import { ensureBuild, hasChromium } from './e2e/harness';

export default async function setup(): Promise<void> {
  if (hasChromium) await ensureBuild();
}

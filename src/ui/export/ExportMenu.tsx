/**
 * The Export menu of the top bar: the graph as Keras JSON, a TensorFlow.js model, a Python
 * training script, an SVG or PNG picture, or the Keras-style summary as a file or on the
 * clipboard. A rejected export shows its reason in the banner, and a finished one a toast, with
 * anything the person should act on in the banner.
 */
import { useState } from 'react';
import { currentGraph } from '../../store/graph-store';
import { useUiStore } from '../../store/ui-store';
import { useMenu } from '../chrome/use-menu';
import { fileSafeName } from '../commands';
import { copyText, downloadFile } from './download';
import { buildExport, FORMATS, graphSummaryText, type ExportFormat } from './formats';

/** Exports the current graph in `format` and downloads the files; returns whether it did. */
export async function runExport(format: ExportFormat): Promise<boolean> {
  const ui = useUiStore.getState();
  const outcome = await buildExport(format, currentGraph(), fileSafeName(ui.projectName));
  if (!outcome.ok) {
    ui.showBanner(outcome.message);
    return false;
  }
  for (const file of outcome.files) downloadFile(file);
  if (outcome.notice) ui.showBanner(outcome.notice, 'info');
  else ui.clearBanner();
  ui.showToast(outcome.message);
  return true;
}

/** Copies the summary of the current graph to the clipboard; returns whether the browser allowed it. */
export async function copySummary(): Promise<boolean> {
  const ui = useUiStore.getState();
  const graph = currentGraph();
  if (graph.nodes.length === 0) {
    ui.showBanner('The model is empty, so there is no summary to copy; open a template or drag layers onto the canvas.');
    return false;
  }
  const copied = await copyText(graphSummaryText(graph, fileSafeName(ui.projectName)));
  if (copied) ui.showToast('Copied the summary to the clipboard.');
  else ui.showToast('The browser did not allow copying to the clipboard; use Summary as text to download it instead.', 'error');
  return copied;
}

export function ExportMenu() {
  const { open, setOpen, menuId, rootRef, moveFocus } = useMenu();
  const [busy, setBusy] = useState(false);

  const run = async (action: () => Promise<boolean>) => {
    setOpen(false);
    setBusy(true);
    try {
      await action();
    } catch (error) {
      // Every expected failure is an outcome already; this keeps a defect from passing silently.
      console.error('Layerlab: export failed', error);
      useUiStore.getState().showBanner(`The export failed: ${error instanceof Error ? error.message : String(error)}. Try again, or reload the page.`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="menu" ref={rootRef}>
      <button
        type="button"
        className="button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={menuId}
        // Not disabled while busy: the menu gives the focus back to this button when it closes.
        aria-disabled={busy}
        data-testid="export-button"
        onClick={() => {
          if (!busy) setOpen((value) => !value);
        }}
      >
        {busy ? 'Exporting…' : 'Export ▾'}
      </button>
      {open && (
        <ul className="menu__list" role="menu" id={menuId} aria-label="Export" onKeyDown={moveFocus}>
          {FORMATS.map((info) => (
            <li key={info.format} role="none">
              <button type="button" role="menuitem" className="menu__item" data-testid={`export-${info.format}`} onClick={() => void run(() => runExport(info.format))}>
                <span className="menu__item-title">{info.title}</span>
                <span className="menu__item-description">{info.description}</span>
              </button>
            </li>
          ))}
          <li role="none" className="menu__separator">
            <button type="button" role="menuitem" className="menu__item" data-testid="export-summary-copy" onClick={() => void run(copySummary)}>
              <span className="menu__item-title">Copy summary</span>
              <span className="menu__item-description">The same table, on the clipboard.</span>
            </button>
          </li>
        </ul>
      )}
    </div>
  );
}

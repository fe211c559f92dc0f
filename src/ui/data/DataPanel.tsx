/**
 * The data panel: open a `.npz`, `.npy` or `.csv` file (file input or drop) or a built-in data
 * set, see what it contains, choose how it is split, and check it against the model. A file
 * that cannot be read shows the reader's message and leaves the loaded data as it was.
 */
import { useEffect, useRef, useState, type DragEvent } from 'react';
import { listBuiltinDatasets } from '../../data';
import { clearDataError, useDataStore } from '../../store/data-store';
import { useTrainingStore } from '../../store/training-store';
import { CsvOptions } from './CsvOptions';
import { openDataFiles, loadBuiltinData } from './data-actions';
import { DatasetSummary } from './DatasetSummary';
import { ModelFit } from './ModelFit';
import { PendingChoice } from './PendingChoice';
import { SplitSettings } from './SplitSettings';
import './data-panel.css';

/** File types the file input offers; the reader decides by extension. */
const ACCEPTED_FILES = '.npz,.npy,.csv,.tsv,.txt';

function hasFiles(event: DragEvent): boolean {
  return Array.from(event.dataTransfer.types).includes('Files');
}

function BuiltinMenu({ disabled }: { disabled: boolean }) {
  const builtins = listBuiltinDatasets();
  return (
    <select
      className="data-panel__builtin"
      value=""
      disabled={disabled}
      aria-label="Load a built-in data set"
      data-testid="builtin-select"
      onChange={(event) => {
        const entry = builtins.find((candidate) => candidate.id === event.target.value);
        if (entry) void loadBuiltinData(entry.id, entry.name);
      }}
    >
      <option value="" disabled>
        Built-in data…
      </option>
      {builtins.map((entry) => (
        <option key={entry.id} value={entry.id} title={entry.description}>
          {entry.name}
        </option>
      ))}
    </select>
  );
}

export function DataPanel() {
  const loaded = useDataStore((state) => state.loaded);
  const missingFile = useDataStore((state) => state.missingFile);
  const pending = useDataStore((state) => state.pending);
  const busy = useDataStore((state) => state.busy);
  const error = useDataStore((state) => state.error);
  const training = useTrainingStore((state) => state.phase !== 'idle');
  const [dragging, setDragging] = useState(false);
  const panel = useRef<HTMLElement>(null);

  // New data shows from the top, where its name and example count are.
  useEffect(() => {
    if (panel.current) panel.current.scrollTop = 0;
  }, [loaded]);

  const onDrop = (event: DragEvent) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    setDragging(false);
    const files = Array.from(event.dataTransfer.files);
    if (files.length > 0 && !training) void openDataFiles(files);
  };

  return (
    <section
      ref={panel}
      className={`data-panel${dragging ? ' is-dragging' : ''}`}
      aria-label="Data"
      data-testid="data-panel"
      onDragOver={(event) => {
        if (!hasFiles(event)) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = training ? 'none' : 'copy';
        setDragging(true);
      }}
      onDragLeave={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false);
      }}
      onDrop={onDrop}
    >
      <header className="workspace-header">
        <h2 className="panel__title">Data</h2>
        <div className="workspace-header__actions">
          <BuiltinMenu disabled={training} />
          <label className={`button${training ? ' is-disabled' : ''}`} title="Open a .npz, .npy or .csv file, or drop it on this panel">
            Open file…
            <input
              type="file"
              accept={ACCEPTED_FILES}
              multiple
              disabled={training}
              className="visually-hidden"
              data-testid="dataset-file-input"
              onChange={(event) => {
                const files = Array.from(event.target.files ?? []);
                // Clearing the value lets the same file be chosen again after fixing it.
                event.target.value = '';
                if (files.length > 0) void openDataFiles(files);
              }}
            />
          </label>
        </div>
      </header>

      {busy && (
        <p className="data-status" role="status" data-testid="data-busy">
          <span className="spinner" aria-hidden="true" /> {busy}
        </p>
      )}
      {error && (
        <div className="data-error" role="alert" data-testid="data-error">
          <p>
            {error.fileName ? <strong>Could not use {error.fileName}. </strong> : null}
            {error.message}
          </p>
          <p className="data-error__kept">{loaded ? `${loaded.sourceName} is still loaded.` : 'No data is loaded.'}</p>
          <button type="button" className="data-error__close" aria-label="Dismiss" onClick={clearDataError}>
            ×
          </button>
        </div>
      )}
      {pending && <PendingChoice pending={pending} />}

      {loaded ? (
        <>
          <DatasetSummary loaded={loaded} />
          <ModelFit />
          {loaded.csv && <CsvOptions details={loaded.csv} disabled={training} />}
        </>
      ) : (
        !busy &&
        (missingFile ? (
          <p className="data-empty data-empty--missing" data-testid="data-missing-file">
            This project was trained on <strong>{missingFile}</strong>. Files stay on your computer and are not kept in the browser, so open{' '}
            {missingFile} again (or drop it here) to go on training.
          </p>
        ) : (
          <p className="data-empty">
            Drop a <code>.npz</code>, <code>.npy</code> or <code>.csv</code> file here, open one, or pick a built-in data set.
          </p>
        ))
      )}
      <SplitSettings count={loaded?.dataset.count} disabled={training} />
    </section>
  );
}

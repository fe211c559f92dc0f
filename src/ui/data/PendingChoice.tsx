/** A file that needs one more decision: which arrays of an `.npz` are features and labels, or which `.npy` contains the labels. */
import { useState } from 'react';
import type { PendingChoice as Pending, PendingNpzChoice } from '../../store/data-store';
import { addNpyLabels, chooseNpzArrays } from './data-actions';

function NpzChoice({ pending }: { pending: PendingNpzChoice }) {
  const names = pending.arrays.map((array) => array.name);
  const [features, setFeatures] = useState(names[0] ?? '');
  const [labels, setLabels] = useState(names[1] ?? names[0] ?? '');

  return (
    <form
      className="choice"
      data-testid="npz-choice"
      onSubmit={(event) => {
        event.preventDefault();
        void chooseNpzArrays({ features, labels });
      }}
    >
      <p className="choice__message">{pending.message}</p>
      <div className="choice__fields">
        <label className="form-field">
          <span className="form-field__label">Features</span>
          <select value={features} onChange={(event) => setFeatures(event.target.value)} data-testid="npz-features">
            {pending.arrays.map((array) => (
              <option key={array.name} value={array.name}>
                {array.name} {array.description}
              </option>
            ))}
          </select>
        </label>
        <label className="form-field">
          <span className="form-field__label">Labels</span>
          <select value={labels} onChange={(event) => setLabels(event.target.value)} data-testid="npz-labels">
            {pending.arrays.map((array) => (
              <option key={array.name} value={array.name}>
                {array.name} {array.description}
              </option>
            ))}
          </select>
        </label>
      </div>
      <button type="submit" className="button button--primary" data-testid="npz-choice-apply" disabled={names.length < 2}>
        Use these arrays
      </button>
    </form>
  );
}

export function PendingChoice({ pending }: { pending: Pending }) {
  if (pending.kind === 'npz') return <NpzChoice key={pending.fileName} pending={pending} />;
  return (
    <div className="choice" data-testid="npy-labels">
      <p className="choice__message">{pending.message}</p>
      <label className="button">
        Choose labels .npy…
        <input
          type="file"
          accept=".npy"
          className="visually-hidden"
          data-testid="npy-labels-input"
          onChange={(event) => {
            const file = event.target.files?.[0];
            event.target.value = '';
            if (file) void addNpyLabels(file);
          }}
        />
      </label>
    </div>
  );
}

/** Split settings: seed, training/validation/test shares, batch size and an optional smaller sample of the examples. */
import { useId } from 'react';
import { formatCount } from '../../layers';
import { resolveSplit, updateSplitDraft, useDataStore, type SplitDraft } from '../../store/data-store';

interface NumberFieldProps {
  field: keyof SplitDraft;
  label: string;
  unit?: string;
  error?: string;
  disabled?: boolean;
}

function NumberField({ field, label, unit, error, disabled }: NumberFieldProps) {
  const value = useDataStore((state) => state.splitDraft[field]) as string;
  const id = useId();
  return (
    <div className={`form-field${error ? ' is-invalid' : ''}`}>
      <label className="form-field__label" htmlFor={id}>
        {label}
      </label>
      <span className="form-field__with-unit">
        <input
          id={id}
          type="text"
          inputMode="numeric"
          value={value}
          disabled={disabled}
          aria-invalid={error ? 'true' : undefined}
          onChange={(event) => updateSplitDraft({ [field]: event.target.value })}
          data-testid={`split-${field}`}
        />
        {unit && <span className="form-field__unit">{unit}</span>}
      </span>
    </div>
  );
}

export function SplitSettings({ count, disabled }: { count: number | undefined; disabled: boolean }) {
  const draft = useDataStore((state) => state.splitDraft);
  const resolution = resolveSplit(draft, count);
  const errors = resolution.ok ? {} : resolution.errors;
  const messages = Object.values(errors);

  let sizes = '';
  if (resolution.ok && count !== undefined) {
    const used = resolution.split.exampleLimit ?? count;
    const test = Math.round(used * resolution.split.testFraction);
    const validation = Math.min(Math.round(used * resolution.split.validationFraction), used - test);
    sizes = `${formatCount(used - test - validation)} for training, ${formatCount(validation)} for validation, ${formatCount(test)} for testing.`;
  }

  return (
    <fieldset className="data-block split" data-testid="split-settings" disabled={disabled}>
      <legend className="data-block__title">Split</legend>
      <div className="split__grid">
        <NumberField field="trainPercent" label="Train" unit="%" error={errors.trainPercent} />
        <NumberField field="validationPercent" label="Validation" unit="%" error={errors.validationPercent} />
        <NumberField field="testPercent" label="Test" unit="%" error={errors.testPercent} />
        <NumberField field="seed" label="Seed" error={errors.seed} />
        <NumberField field="batchSize" label="Batch size" error={errors.batchSize} />
      </div>
      <div className={`form-check split__limit${errors.exampleLimit ? ' is-invalid' : ''}`}>
        <label>
          <input
            type="checkbox"
            checked={draft.limitEnabled}
            onChange={(event) => updateSplitDraft({ limitEnabled: event.target.checked })}
            data-testid="split-limit-enabled"
          />
          Use only
        </label>
        <input
          type="text"
          inputMode="numeric"
          className="split__limit-count"
          value={draft.exampleLimit}
          disabled={!draft.limitEnabled || disabled}
          aria-label="Number of examples to use"
          aria-invalid={errors.exampleLimit ? 'true' : undefined}
          onChange={(event) => updateSplitDraft({ exampleLimit: event.target.value })}
          data-testid="split-exampleLimit"
        />
        <span>examples, drawn at random with the seed</span>
      </div>
      {messages.length > 0 ? (
        <ul className="form-problems" data-testid="split-errors">
          {messages.map((message) => (
            <li key={message} className="form-problem">
              {message}
            </li>
          ))}
        </ul>
      ) : (
        sizes && (
          <p className="data-note" data-testid="split-sizes">
            {sizes}
          </p>
        )
      )}
    </fieldset>
  );
}

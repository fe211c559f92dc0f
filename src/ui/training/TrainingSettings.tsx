/**
 * The training settings form: loss, optimizer, learning rate, epochs and early stopping. Values
 * start from `defaultTrainingConfig`; each invalid field shows why next to it.
 */
import { useId, type ReactNode } from 'react';
import { describeLoss, LOSSES, MONITORS, OPTIMIZERS, DEFAULT_LEARNING_RATES, type LossName, type MonitorName, type OptimizerName } from '../../compile/training-config';
import { updateTrainingDraft, useTrainingStore, type ConfigResolution, type TrainingDraftField } from '../../store/training-store';

interface FieldProps {
  label: string;
  error?: string;
  /** Reason for the field's value, shown on hover over a small mark after the label. */
  reason?: string;
  children: (id: string) => ReactNode;
}

function Field({ label, error, reason, children }: FieldProps) {
  const id = useId();
  return (
    <div className={`form-field${error ? ' is-invalid' : ''}`}>
      <label className="form-field__label" htmlFor={id}>
        {label}
        {reason && (
          <span className="form-field__reason" title={reason} aria-label={reason} data-testid={`training-${label.toLowerCase().replace(/\W+/g, '-')}-reason`}>
            ?
          </span>
        )}
      </label>
      {children(id)}
    </div>
  );
}

function TextInput({ id, field, error, placeholder, disabled }: { id: string; field: TrainingDraftField; error?: string; placeholder?: string; disabled: boolean }) {
  const value = useTrainingStore((state) => state.draft[field]) as string;
  return (
    <input
      id={id}
      type="text"
      inputMode="decimal"
      value={value}
      placeholder={placeholder}
      disabled={disabled}
      aria-invalid={error ? 'true' : undefined}
      onChange={(event) => updateTrainingDraft({ [field]: event.target.value })}
      data-testid={`training-${field}`}
    />
  );
}

export function TrainingSettings({ resolution, disabled }: { resolution: ConfigResolution | null; disabled: boolean }) {
  const draft = useTrainingStore((state) => state.draft);
  const errors = resolution && !resolution.ok ? resolution.errors : {};
  const chosenLoss = resolution?.ok ? resolution.config.loss : null;
  const fieldMessages = new Set(Object.values(errors));
  const otherMessages = resolution && !resolution.ok ? resolution.messages.filter((message) => !fieldMessages.has(message)) : [];

  return (
    <fieldset className="training-settings" disabled={disabled} data-testid="training-settings">
      <div className="training-settings__row">
        <Field label="Loss" error={errors.loss} reason={draft.loss === 'auto' && resolution?.ok ? resolution.lossReason : undefined}>
          {(id) => (
            <select id={id} value={draft.loss} onChange={(event) => updateTrainingDraft({ loss: event.target.value as LossName | 'auto' })} data-testid="training-loss">
              <option value="auto">{chosenLoss && draft.loss === 'auto' ? `auto: ${describeLoss(chosenLoss)}` : 'auto'}</option>
              {LOSSES.map((loss) => (
                <option key={loss} value={loss}>
                  {describeLoss(loss)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Optimizer" error={errors.optimizer}>
          {(id) => (
            <select id={id} value={draft.optimizer} onChange={(event) => updateTrainingDraft({ optimizer: event.target.value as OptimizerName })} data-testid="training-optimizer">
              {OPTIMIZERS.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Learning rate" error={errors.learningRate}>
          {(id) => <TextInput id={id} field="learningRate" error={errors.learningRate} placeholder={String(DEFAULT_LEARNING_RATES[draft.optimizer])} disabled={disabled} />}
        </Field>
        <Field label="Epochs" error={errors.epochs}>
          {(id) => <TextInput id={id} field="epochs" error={errors.epochs} disabled={disabled} />}
        </Field>
      </div>

      <div className="training-settings__row training-settings__row--early">
        <label className="form-check">
          <input type="checkbox" checked={draft.earlyStopping} onChange={(event) => updateTrainingDraft({ earlyStopping: event.target.checked })} data-testid="training-earlyStopping" />
          Early stopping
        </label>
        {draft.earlyStopping && (
          <>
            <Field label="Watch" error={errors.monitor}>
              {(id) => (
                <select id={id} value={draft.monitor} onChange={(event) => updateTrainingDraft({ monitor: event.target.value as MonitorName })} data-testid="training-monitor">
                  {MONITORS.map((monitor) => (
                    <option key={monitor} value={monitor}>
                      {monitor}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label="Patience" error={errors.patience}>
              {(id) => <TextInput id={id} field="patience" error={errors.patience} disabled={disabled} />}
            </Field>
            <Field label="Min. change" error={errors.minDelta}>
              {(id) => <TextInput id={id} field="minDelta" error={errors.minDelta} disabled={disabled} />}
            </Field>
            <label className="form-check">
              <input type="checkbox" checked={draft.restoreBestWeights} onChange={(event) => updateTrainingDraft({ restoreBestWeights: event.target.checked })} data-testid="training-restoreBestWeights" />
              Restore best weights
            </label>
          </>
        )}
      </div>

      {resolution && !resolution.ok && (
        <ul className="form-problems" data-testid="training-errors">
          {[...fieldMessages, ...otherMessages].map((message) => (
            <li key={message} className="form-problem">
              {message}
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}

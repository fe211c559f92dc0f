/**
 * One typed, labelled input per parameter of a layer: number inputs with their range, one
 * number input per axis for tuples, selects for choices, checkboxes, an l1/l2 pair for
 * regularizers and a comma-separated list for shapes. Each field validates as the person types
 * with the catalogue's `validateParam`, and passes only valid values on.
 */
import { useId, useState, type ReactNode } from 'react';
import type { LayerSpec, ParamValue, Params, RegularizerValue } from '../../graph/types';
import { getLayerKind, LAYER_KINDS, type ParamSpec } from '../../layers';
import { defaultParams, describeExpected, validateParam, withDefaults } from '../../layers/params';
import {
  formatNumber,
  formatShapeText,
  parseNumber,
  parseShapeText,
  sameValue,
  useResetOnExternalChange,
  type Parsed,
} from './drafts';

export interface FieldProps<S extends ParamSpec = ParamSpec> {
  spec: S;
  value: ParamValue | undefined;
  /** Prefix of the test ids: `inspector` gives `inspector-<paramName>`. */
  testIdPrefix: string;
  onCommit(value: ParamValue): void;
}

function allowsNull(spec: ParamSpec): boolean {
  return spec.nullable === true || spec.default === null;
}

/** Checks a parsed draft: the message to show, or `null` when the value may be committed. */
function problemOf(spec: ParamSpec, parsed: Parsed): string | null {
  return validateParam(spec, parsed as ParamValue | undefined);
}

/**
 * Returns whether a number input contains text that the browser cannot read as a number, such
 * as "1e". The browser then reports its value as '', the same as an empty field.
 */
function hasBadInput(input: HTMLInputElement): boolean {
  return input.validity?.badInput === true;
}

function notANumberProblem(name: string, expected: string): string {
  return `${name} must be ${expected}, but the text is not a number`;
}

/**
 * Finds two mistakes in the text of a shape that the parsed list would hide or misreport. An
 * empty entry would read as an unknown size, and sizes separated by spaces would read as one
 * entry. Returns the message, or `null` when the text has neither.
 */
function shapeTextProblem(spec: ParamSpec & { type: 'shape' }, text: string): string | null {
  const entries = text.trim().replace(/^[([]|[)\]]$/g, '').split(',');
  // A trailing comma as in Python's `(200,)` adds no axis.
  if (entries.length > 1 && entries[entries.length - 1].trim() === '') entries.pop();

  if (entries.some((entry) => /\S\s+\S/.test(entry.trim()) || /\d\s*[x×*;]\s*\d/i.test(entry))) {
    const sizes = text.split(/[\s,;x×*()[\]]+/i).filter((size) => size !== '');
    return `${spec.name} must be sizes separated by commas, e.g. ${sizes.join(', ')}`;
  }
  if (entries.length > 1 && entries.some((entry) => entry.trim() === '')) {
    const unknown = spec.allowUnknown ? ', or None for an unknown size' : '';
    return `${spec.name} has an empty entry in "${text.trim()}"; write a size between the commas${unknown}`;
  }
  return null;
}

function rangeHint(spec: ParamSpec): string {
  if (spec.type !== 'int' && spec.type !== 'float') return '';
  const minExclusive = spec.type === 'float' && spec.minExclusive === true;
  const maxExclusive = spec.type === 'float' && spec.maxExclusive === true;
  const parts: string[] = [];
  if (spec.min !== undefined) parts.push(`${minExclusive ? '>' : '≥'} ${spec.min}`);
  if (spec.max !== undefined) parts.push(`${maxExclusive ? '<' : '≤'} ${spec.max}`);
  const kind = spec.type === 'int' ? 'whole number' : 'number';
  return parts.length > 0 ? `${kind} ${parts.join(', ')}` : kind;
}

interface ShellProps {
  spec: ParamSpec;
  inputId: string;
  problem: string | null;
  hint?: string;
  /** For a group of inputs, the label names the group instead of one input. */
  group?: boolean;
  children: ReactNode;
}

function FieldShell({ spec, inputId, problem, hint, group, children }: ShellProps) {
  const label = group ? (
    <span className="field__label" id={`${inputId}-label`}>
      {spec.name}
    </span>
  ) : (
    <label className="field__label" htmlFor={inputId}>
      {spec.name}
    </label>
  );
  return (
    <div className={`field${problem ? ' is-invalid' : ''}`} role={group ? 'group' : undefined} aria-labelledby={group ? `${inputId}-label` : undefined}>
      <div className="field__top">
        {label}
        {hint && <span className="field__hint">{hint}</span>}
      </div>
      {children}
      {problem && (
        <p className="field__problem" id={`${inputId}-problem`} aria-live="polite">
          {problem}
        </p>
      )}
      <p className="field__description" id={`${inputId}-description`}>
        {spec.description}
      </p>
    </div>
  );
}

function describedBy(inputId: string, problem: string | null): string {
  return problem ? `${inputId}-problem ${inputId}-description` : `${inputId}-description`;
}

function NumberField({ spec, value, testIdPrefix, onCommit }: FieldProps<ParamSpec & { type: 'int' | 'float' }>) {
  const inputId = useId();
  const [text, setText] = useState(() => formatNumber(value));
  const [badInput, setBadInput] = useState(false);
  const parsed = parseNumber(text, allowsNull(spec));
  useResetOnExternalChange(value, parsed, () => {
    setText(formatNumber(value));
    setBadInput(false);
  });
  const problem = badInput ? notANumberProblem(spec.name, describeExpected(spec)) : problemOf(spec, parsed);

  return (
    <FieldShell spec={spec} inputId={inputId} problem={problem} hint={rangeHint(spec)}>
      <input
        id={inputId}
        type="number"
        inputMode={spec.type === 'int' ? 'numeric' : 'decimal'}
        step={spec.type === 'int' ? 1 : 'any'}
        min={spec.min}
        max={spec.max}
        placeholder={allowsNull(spec) ? 'None' : undefined}
        value={text}
        aria-invalid={problem ? true : undefined}
        aria-describedby={describedBy(inputId, problem)}
        data-testid={`${testIdPrefix}-${spec.name}`}
        onChange={(event) => {
          setText(event.target.value);
          setBadInput(hasBadInput(event.target));
          if (hasBadInput(event.target)) return;
          const next = parseNumber(event.target.value, allowsNull(spec));
          if (problemOf(spec, next) === null && !sameValue(next, value)) onCommit(next as ParamValue);
        }}
      />
    </FieldShell>
  );
}

function tupleTexts(value: unknown, length: number): string[] {
  if (typeof value === 'number') return Array.from({ length }, () => String(value));
  if (Array.isArray(value)) return Array.from({ length }, (_, i) => formatNumber(value[i]));
  return Array.from({ length }, () => '');
}

function parseTuple(texts: string[], allowNull: boolean): Parsed {
  if (texts.every((text) => text.trim() === '')) return allowNull ? null : undefined;
  return texts.map((text) => {
    const parsed = parseNumber(text, false);
    return parsed === undefined ? '' : parsed;
  }) as unknown as ParamValue;
}

const AXIS_NAMES = ['rows', 'columns', 'depth'];

function TupleField({ spec, value, testIdPrefix, onCommit }: FieldProps<ParamSpec & { type: 'ints' }>) {
  const inputId = useId();
  const [texts, setTexts] = useState(() => tupleTexts(value, spec.length));
  const [badAxes, setBadAxes] = useState<boolean[]>(() => texts.map(() => false));
  const parsed = parseTuple(texts, allowsNull(spec));
  useResetOnExternalChange(value, parsed, () => {
    setTexts(tupleTexts(value, spec.length));
    setBadAxes(texts.map(() => false));
  });
  const min = spec.min ?? 1;
  const badAxis = badAxes.indexOf(true);
  const problem =
    badAxis >= 0 ? notANumberProblem(`${spec.name} ${AXIS_NAMES[badAxis] ?? `axis ${badAxis + 1}`}`, `a whole number ≥ ${min}`) : problemOf(spec, parsed);

  return (
    <FieldShell spec={spec} inputId={inputId} problem={problem} hint={`${spec.length} whole numbers ≥ ${min}`} group>
      <div className="field__tuple" data-testid={`${testIdPrefix}-${spec.name}`}>
        {texts.map((text, axis) => (
          <input
            key={axis}
            id={axis === 0 ? inputId : `${inputId}-${axis}`}
            type="number"
            inputMode="numeric"
            step={1}
            min={min}
            placeholder={allowsNull(spec) ? 'None' : undefined}
            value={text}
            aria-label={`${spec.name} ${AXIS_NAMES[axis] ?? `axis ${axis + 1}`}`}
            aria-invalid={problem ? true : undefined}
            aria-describedby={describedBy(inputId, problem)}
            data-testid={`${testIdPrefix}-${spec.name}-${axis}`}
            onChange={(event) => {
              const nextTexts = texts.map((old, i) => (i === axis ? event.target.value : old));
              const nextBadAxes = badAxes.map((old, i) => (i === axis ? hasBadInput(event.target) : old));
              setTexts(nextTexts);
              setBadAxes(nextBadAxes);
              if (nextBadAxes.includes(true)) return;
              const next = parseTuple(nextTexts, allowsNull(spec));
              if (problemOf(spec, next) === null && !sameValue(next, value)) onCommit(next as ParamValue);
            }}
          />
        ))}
      </div>
    </FieldShell>
  );
}

/** Edits a tuple of one axis as one number, and stores it as a number or a one-entry list as before. */
function SingleAxisField({ spec, value, testIdPrefix, onCommit }: FieldProps<ParamSpec & { type: 'ints' }>) {
  const inputId = useId();
  const asNumber = Array.isArray(value) ? value[0] : value;
  const [text, setText] = useState(() => formatNumber(asNumber));
  const toValue = (raw: string): Parsed => {
    const parsed = parseNumber(raw, allowsNull(spec));
    return Array.isArray(value) && typeof parsed === 'number' ? [parsed] : parsed;
  };
  const [badInput, setBadInput] = useState(false);
  const parsed = toValue(text);
  useResetOnExternalChange(value, parsed, () => {
    setText(formatNumber(asNumber));
    setBadInput(false);
  });
  const problem = badInput ? notANumberProblem(spec.name, `a whole number ≥ ${spec.min ?? 1}`) : problemOf(spec, parsed);

  return (
    <FieldShell spec={spec} inputId={inputId} problem={problem} hint={`whole number ≥ ${spec.min ?? 1}`}>
      <input
        id={inputId}
        type="number"
        inputMode="numeric"
        step={1}
        min={spec.min ?? 1}
        placeholder={allowsNull(spec) ? 'None' : undefined}
        value={text}
        aria-invalid={problem ? true : undefined}
        aria-describedby={describedBy(inputId, problem)}
        data-testid={`${testIdPrefix}-${spec.name}`}
        onChange={(event) => {
          setText(event.target.value);
          setBadInput(hasBadInput(event.target));
          if (hasBadInput(event.target)) return;
          const next = toValue(event.target.value);
          if (problemOf(spec, next) === null && !sameValue(next, value)) onCommit(next as ParamValue);
        }}
      />
    </FieldShell>
  );
}

function ShapeField({ spec, value, testIdPrefix, onCommit }: FieldProps<ParamSpec & { type: 'shape' }>) {
  const inputId = useId();
  const [text, setText] = useState(() => formatShapeText(value));
  const parsed = parseShapeText(text, allowsNull(spec));
  useResetOnExternalChange(value, parsed, () => setText(formatShapeText(value)));
  const problem = shapeTextProblem(spec, text) ?? problemOf(spec, parsed);
  const hint = `sizes separated by commas${spec.allowUnknown ? ', None for unknown' : ''}${spec.allowInfer ? ', -1 once to infer' : ''}`;

  return (
    <FieldShell spec={spec} inputId={inputId} problem={problem} hint={hint}>
      <input
        id={inputId}
        type="text"
        spellCheck={false}
        autoComplete="off"
        value={text}
        aria-invalid={problem ? true : undefined}
        aria-describedby={describedBy(inputId, problem)}
        data-testid={`${testIdPrefix}-${spec.name}`}
        onChange={(event) => {
          setText(event.target.value);
          if (shapeTextProblem(spec, event.target.value) !== null) return;
          const next = parseShapeText(event.target.value, allowsNull(spec));
          if (problemOf(spec, next) === null && !sameValue(next, value)) onCommit(next as ParamValue);
        }}
      />
    </FieldShell>
  );
}

function EnumField({ spec, value, testIdPrefix, onCommit }: FieldProps<ParamSpec & { type: 'enum' }>) {
  const inputId = useId();
  const problem = problemOf(spec, value);
  const known = typeof value === 'string' && spec.options.includes(value);

  return (
    <FieldShell spec={spec} inputId={inputId} problem={problem}>
      <select
        id={inputId}
        value={value === null || value === undefined ? '' : String(value)}
        aria-invalid={problem ? true : undefined}
        aria-describedby={describedBy(inputId, problem)}
        data-testid={`${testIdPrefix}-${spec.name}`}
        onChange={(event) => onCommit(event.target.value === '' && allowsNull(spec) ? null : event.target.value)}
      >
        {allowsNull(spec) && <option value="">None</option>}
        {!known && value !== null && value !== undefined && <option value={String(value)}>{String(value)} (invalid)</option>}
        {spec.options.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

function BoolField({ spec, value, testIdPrefix, onCommit }: FieldProps<ParamSpec & { type: 'bool' }>) {
  const inputId = useId();
  const problem = problemOf(spec, value);
  return (
    <div className={`field field--check${problem ? ' is-invalid' : ''}`}>
      <div className="field__check">
        <input
          id={inputId}
          type="checkbox"
          checked={value === true}
          aria-invalid={problem ? true : undefined}
          aria-describedby={describedBy(inputId, problem)}
          data-testid={`${testIdPrefix}-${spec.name}`}
          onChange={(event) => onCommit(event.target.checked)}
        />
        <label className="field__label" htmlFor={inputId}>
          {spec.name}
        </label>
      </div>
      {problem && (
        <p className="field__problem" id={`${inputId}-problem`}>
          {problem}
        </p>
      )}
      <p className="field__description" id={`${inputId}-description`}>
        {spec.description}
      </p>
    </div>
  );
}

/** Strength used when a regularizer is switched on: Keras's default L2 factor. */
const DEFAULT_L2 = 0.01;

function isRegularizer(value: unknown): value is RegularizerValue {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'l1' in value && 'l2' in value;
}

function RegularizerField({ spec, value, testIdPrefix, onCommit }: FieldProps<ParamSpec & { type: 'regularizer' }>) {
  const inputId = useId();
  const current = isRegularizer(value) ? value : null;
  const [texts, setTexts] = useState(() => ({ l1: formatNumber(current?.l1 ?? 0), l2: formatNumber(current?.l2 ?? DEFAULT_L2) }));
  const enabled = current !== null;
  const parsedDraft = (draft: { l1: string; l2: string }): Parsed => ({
    l1: parseNumber(draft.l1, false) as number,
    l2: parseNumber(draft.l2, false) as number,
  });
  const parsed = enabled ? parsedDraft(texts) : null;
  useResetOnExternalChange(value, parsed, () => {
    if (current) setTexts({ l1: formatNumber(current.l1), l2: formatNumber(current.l2) });
  });
  const problem = enabled ? problemOf(spec, parsed) : null;
  const testId = `${testIdPrefix}-${spec.name}`;

  const update = (draft: { l1: string; l2: string }) => {
    setTexts(draft);
    const next = parsedDraft(draft);
    if (problemOf(spec, next) === null && !sameValue(next, value)) onCommit(next as ParamValue);
  };

  return (
    <FieldShell spec={spec} inputId={inputId} problem={problem} hint="L1 and L2 strengths ≥ 0" group>
      <div className="field__regularizer" data-testid={testId}>
        <label className="field__inline">
          <input
            type="checkbox"
            checked={enabled}
            aria-label={`${spec.name} on`}
            data-testid={`${testId}-enabled`}
            onChange={(event) => {
              if (!event.target.checked) {
                onCommit(null);
                return;
              }
              const draft = parsedDraft(texts);
              onCommit((problemOf(spec, draft) === null ? draft : { l1: 0, l2: DEFAULT_L2 }) as ParamValue);
            }}
          />
          on
        </label>
        {(['l1', 'l2'] as const).map((key) => (
          <label key={key} className="field__inline">
            {key}
            <input
              id={key === 'l1' ? inputId : `${inputId}-${key}`}
              type="number"
              inputMode="decimal"
              step="any"
              min={0}
              disabled={!enabled}
              value={texts[key]}
              aria-invalid={problem ? true : undefined}
              aria-describedby={describedBy(inputId, problem)}
              data-testid={`${testId}-${key}`}
              onChange={(event) => update({ ...texts, [key]: event.target.value })}
            />
          </label>
        ))}
      </div>
    </FieldShell>
  );
}

function JsonField({ spec, value, testIdPrefix, onCommit }: FieldProps) {
  const inputId = useId();
  const format = (raw: unknown) => (raw === undefined ? '' : JSON.stringify(raw));
  const [text, setText] = useState(() => format(value));
  const parse = (raw: string): { ok: true; value: ParamValue } | { ok: false; problem: string } => {
    if (raw.trim() === '') return allowsNull(spec) ? { ok: true, value: null } : { ok: false, problem: `${spec.name} is missing; type a JSON value such as ${JSON.stringify(spec.default)}` };
    try {
      return { ok: true, value: JSON.parse(raw) as ParamValue };
    } catch {
      return { ok: false, problem: `${spec.name} must be JSON, such as ${JSON.stringify(spec.default)}, but got ${raw}` };
    }
  };
  const parsed = parse(text);
  useResetOnExternalChange(value, parsed.ok ? parsed.value : text, () => setText(format(value)));
  const problem = parsed.ok ? problemOf(spec, parsed.value) : parsed.problem;

  return (
    <FieldShell spec={spec} inputId={inputId} problem={problem} hint="JSON">
      <input
        id={inputId}
        type="text"
        spellCheck={false}
        autoComplete="off"
        value={text}
        aria-invalid={problem ? true : undefined}
        aria-describedby={describedBy(inputId, problem)}
        data-testid={`${testIdPrefix}-${spec.name}`}
        onChange={(event) => {
          setText(event.target.value);
          const next = parse(event.target.value);
          if (next.ok && problemOf(spec, next.value) === null && !sameValue(next.value, value)) onCommit(next.value);
        }}
      />
    </FieldShell>
  );
}

function isLayerSpec(value: unknown): value is LayerSpec {
  return typeof value === 'object' && value !== null && 'kind' in value && typeof (value as LayerSpec).kind === 'string';
}

/** Kinds a wrapper can hold: layers with exactly one input. */
const WRAPPABLE_KINDS = LAYER_KINDS.filter((kind) => kind.inputs.min === 1 && kind.inputs.max === 1 && kind.category !== 'wrapper');

/** The layer inside a wrapper: its kind, and its own parameters below. */
function LayerSpecField({ spec, value, testIdPrefix, onCommit }: FieldProps) {
  const inputId = useId();
  const inner = isLayerSpec(value) ? value : null;
  const innerKind = inner ? getLayerKind(inner.kind) : undefined;
  const problem = inner ? null : `${spec.name} is missing; choose the layer to wrap`;

  return (
    <FieldShell spec={spec} inputId={inputId} problem={problem}>
      <select
        id={inputId}
        value={inner?.kind ?? ''}
        aria-invalid={problem ? true : undefined}
        aria-describedby={describedBy(inputId, problem)}
        data-testid={`${testIdPrefix}-${spec.name}`}
        onChange={(event) => {
          const kind = getLayerKind(event.target.value);
          if (kind) onCommit({ kind: kind.className, params: defaultParams(kind) });
        }}
      >
        {!inner && <option value="">Choose a layer</option>}
        {inner && !innerKind && <option value={inner.kind}>{inner.kind} (unknown)</option>}
        {WRAPPABLE_KINDS.map((kind) => (
          <option key={kind.className} value={kind.className}>
            {kind.className}
          </option>
        ))}
      </select>
      {inner && innerKind && (
        <div className="field__nested">
          <ParamFields
            specs={innerKind.params}
            params={withDefaults(innerKind, inner.params)}
            testIdPrefix={`${testIdPrefix}-${spec.name}`}
            onCommit={(name, innerValue) => onCommit({ kind: inner.kind, params: { ...inner.params, [name]: innerValue } })}
          />
        </div>
      )}
    </FieldShell>
  );
}

export function ParamField(props: FieldProps) {
  const { spec } = props;
  switch (spec.type) {
    case 'int':
    case 'float':
      return <NumberField {...props} spec={spec} />;
    case 'ints':
      return spec.length === 1 ? <SingleAxisField {...props} spec={spec} /> : <TupleField {...props} spec={spec} />;
    case 'shape':
      return <ShapeField {...props} spec={spec} />;
    case 'enum':
      return <EnumField {...props} spec={spec} />;
    case 'bool':
      return <BoolField {...props} spec={spec} />;
    case 'regularizer':
      return <RegularizerField {...props} spec={spec} />;
    case 'layer':
      return <LayerSpecField {...props} />;
    case 'json':
      return <JsonField {...props} />;
    case 'graph':
      // NOTE: nested models have no editor yet; the inspector shows no field, and the model is kept as loaded.
      return null;
  }
}

export interface ParamFieldsProps {
  specs: readonly ParamSpec[];
  params: Params;
  testIdPrefix: string;
  onCommit(name: string, value: ParamValue): void;
}

/** Renders the fields of every visible parameter, in catalogue order. */
export function ParamFields({ specs, params, testIdPrefix, onCommit }: ParamFieldsProps) {
  return (
    <>
      {specs
        .filter((spec) => !spec.hidden)
        .map((spec) => (
          <ParamField
            key={spec.name}
            spec={spec}
            value={params[spec.name]}
            testIdPrefix={testIdPrefix}
            onCommit={(value) => onCommit(spec.name, value)}
          />
        ))}
    </>
  );
}

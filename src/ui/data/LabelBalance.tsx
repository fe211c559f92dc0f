/**
 * The label balance of the loaded data set: examples per class, with a warning and a renumbering
 * offer when the class ids have gaps.
 */
import { findAbsentClassIds, type AbsentClassIds } from '../../data';
import { formatCount } from '../../layers';
import { renumberLoadedClasses, restoreClassIds, type LoadedData } from '../../store/data-store';

/** Maximum number of classes listed in the balance; the rest are counted in one line. */
const MAX_BALANCE_ROWS = 10;

/** Maximum number of runs of absent ids, and of pairs of the renumbering, listed in a message. */
const MAX_LISTED = 4;

function describeRun(run: AbsentClassIds): string {
  return run.first === run.last ? String(run.first) : `${run.first} to ${run.last}`;
}

function describeAbsentIds(runs: AbsentClassIds[]): string {
  const listed = runs.slice(0, MAX_LISTED).map(describeRun).join(', ');
  return runs.length > MAX_LISTED ? `${listed} and ${runs.length - MAX_LISTED} more ranges` : listed;
}

function ClassIdGaps({ loaded, runs }: { loaded: LoadedData; runs: AbsentClassIds[] }) {
  const classCount = loaded.balance.length;
  const largest = loaded.balance[classCount - 1].classIndex;
  const absent = runs.reduce((sum, run) => sum + run.last - run.first + 1, 0);
  return (
    <div className="data-warning" role="note" data-testid="data-class-gaps">
      <p>
        The class ids have gaps: {formatCount(classCount)} classes occur, with ids up to {formatCount(largest)}, and{' '}
        {formatCount(absent)} {absent === 1 ? 'id has' : 'ids have'} no example ({describeAbsentIds(runs)}). A model needs an output for every id up
        to the largest ({formatCount(largest + 1)} units), and the unused ones only slow training. Renumber the classes 0 to {classCount - 1}, here or in
        the file.
      </p>
      <button type="button" className="button" onClick={renumberLoadedClasses} data-testid="data-renumber-classes">
        Renumber classes 0 to {classCount - 1}
      </button>
    </div>
  );
}

function RenumberedNote({ originalIds }: { originalIds: number[] }) {
  const pairs = originalIds.slice(0, MAX_LISTED).map((id, index) => `${id} → ${index}`);
  const more = originalIds.length > MAX_LISTED ? `, and ${originalIds.length - MAX_LISTED} more` : '';
  return (
    <div className="data-note" data-testid="data-renumbered">
      Classes renumbered from their ids in the file: {pairs.join(', ')}
      {more}. The names show the original ids.{' '}
      <button type="button" className="button" onClick={restoreClassIds} data-testid="data-restore-class-ids">
        Keep the original ids
      </button>
    </div>
  );
}

export function LabelBalance({ loaded }: { loaded: LoadedData }) {
  const { balance, dataset } = loaded;
  if (balance.length === 0) return null;
  const rows = balance.slice(0, MAX_BALANCE_ROWS);
  const hidden = balance.length - rows.length;
  const largest = Math.max(...balance.map((entry) => entry.count), 1);
  const absentRuns = findAbsentClassIds(balance);
  return (
    <div className="data-block">
      <h3 className="data-block__title">Label balance</h3>
      {absentRuns.length > 0 && <ClassIdGaps loaded={loaded} runs={absentRuns} />}
      {loaded.renumbered && <RenumberedNote originalIds={loaded.renumbered.originalIds} />}
      <ul className="balance" data-testid="data-label-balance">
        {rows.map((entry) => (
          <li key={entry.classIndex} className="balance__row">
            <span className="balance__name" title={`class ${entry.classIndex}`}>
              {entry.className}
            </span>
            <span className="balance__bar">
              <span style={{ width: `${(100 * entry.count) / largest}%` }} />
            </span>
            <span className="balance__count">
              {formatCount(entry.count)} <span className="muted">({((100 * entry.count) / dataset.count).toFixed(1)} %)</span>
            </span>
          </li>
        ))}
      </ul>
      {hidden > 0 && <p className="data-note">and {hidden} more classes</p>}
    </div>
  );
}

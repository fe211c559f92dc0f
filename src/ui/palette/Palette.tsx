/**
 * The palette: every layer kind of the catalogue, grouped by category, with a search box.
 * Drag a kind onto the canvas, or focus it and press Enter to add it after the selected layer
 * (or, with none selected, near the centre of the view).
 * The kinds are one stop in the Tab order, and the arrow keys, Home and End move between them. Down in the
 * search box goes to the first match, and Enter there adds the best match, which is marked.
 */
import { useId, useMemo, useState, type DragEvent, type KeyboardEvent } from 'react';
import { LAYER_KINDS, type Category, type LayerKind } from '../../layers';
import { LAYER_DRAG_TYPE } from '../canvas/constants';
import { useEditorCommands } from '../commands';
import { moveListFocus } from '../list-focus';

/** Category titles in palette order: data enters at the top, wrappers and models come last. */
export const CATEGORY_TITLES: Record<Category, string> = {
  input: 'Input',
  core: 'Core',
  activation: 'Activation',
  convolutional: 'Convolution',
  pooling: 'Pooling',
  normalization: 'Normalization',
  regularization: 'Regularization',
  reshaping: 'Reshaping',
  merge: 'Merge',
  embedding: 'Embedding',
  recurrent: 'Recurrent',
  wrapper: 'Wrappers',
  model: 'Models',
};

const CATEGORY_ORDER = Object.keys(CATEGORY_TITLES) as Category[];

function matches(kind: LayerKind, query: string): boolean {
  if (query === '') return true;
  const haystack = `${kind.className} ${kind.category} ${kind.description}`.toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => haystack.includes(word));
}

/**
 * Returns the kind that Enter in the search box adds: the first whose name equals the query, else
 * starts with it, else contains it (ignoring case and spaces), else the first match at all. So
 * "flatten" adds Flatten, not a kind whose description mentions Flatten.
 */
export function bestMatch(classNames: readonly string[], query: string): string | undefined {
  const needle = query.toLowerCase().replace(/\s+/g, '');
  const rank = (className: string) => {
    const name = className.toLowerCase();
    if (name === needle) return 0;
    if (name.startsWith(needle)) return 1;
    if (name.includes(needle)) return 2;
    return 3;
  };
  let best: string | undefined;
  for (const className of classNames) {
    if (best === undefined || rank(className) < rank(best)) best = className;
  }
  return best;
}

/** Kinds that match `query` (every word in the name, category or description), grouped by category. */
export function groupKinds(kinds: readonly LayerKind[], query: string): [Category, LayerKind[]][] {
  const groups = new Map<Category, LayerKind[]>();
  for (const kind of kinds) {
    if (!matches(kind, query.trim())) continue;
    const list = groups.get(kind.category) ?? [];
    list.push(kind);
    groups.set(kind.category, list);
  }
  return CATEGORY_ORDER.filter((category) => groups.has(category)).map((category) => [category, groups.get(category)!]);
}

/** Returns the palette's items in order, from any element inside the palette. */
function paletteItems(inside: HTMLElement): HTMLElement[] {
  return [...(inside.closest('.palette')?.querySelectorAll<HTMLElement>('.palette__item') ?? [])];
}

export function Palette() {
  const [query, setQuery] = useState('');
  const searchId = useId();
  const { addLayerFromPalette } = useEditorCommands();
  const groups = useMemo(() => groupKinds(LAYER_KINDS, query), [query]);
  const matchingKinds = useMemo(() => groups.flatMap(([, kinds]) => kinds.map((kind) => kind.className)), [groups]);
  // The kind that Tab reaches: the one last focused while it matches the search, else the first match.
  const [lastFocused, setLastFocused] = useState<string | null>(null);
  const tabStop = lastFocused !== null && matchingKinds.includes(lastFocused) ? lastFocused : matchingKinds[0];
  const enterAdds = query.trim() === '' ? undefined : bestMatch(matchingKinds, query);

  const onDragStart = (event: DragEvent, className: string) => {
    event.dataTransfer.setData(LAYER_DRAG_TYPE, className);
    event.dataTransfer.setData('text/plain', className);
    event.dataTransfer.effectAllowed = 'copy';
  };

  const onKeyDown = (event: KeyboardEvent<HTMLElement>, className: string) => {
    if (moveListFocus(paletteItems(event.currentTarget), event.currentTarget, event.key)) {
      event.preventDefault();
      return;
    }
    if (event.key !== 'Enter' && event.key !== ' ') return;
    event.preventDefault();
    addLayerFromPalette(className);
  };

  return (
    <nav className="palette" aria-label="Layer palette">
      <label className="palette__search-label" htmlFor={searchId}>
        Search layers
      </label>
      <input
        id={searchId}
        className="palette__search"
        type="search"
        placeholder="Dense, conv, pooling…"
        value={query}
        onChange={(event) => setQuery(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown') {
            event.preventDefault();
            moveListFocus(paletteItems(event.currentTarget), event.currentTarget, 'ArrowDown');
          } else if (event.key === 'Enter' && enterAdds !== undefined) {
            event.preventDefault();
            addLayerFromPalette(enterAdds);
            // The next name typed replaces this one.
            event.currentTarget.select();
          }
        }}
        data-testid="palette-search"
      />
      <div className="palette__groups">
        {groups.length === 0 && <p className="palette__empty">No layer matches “{query}”.</p>}
        {groups.map(([category, kinds]) => (
          <section key={category} className="palette__group" aria-label={CATEGORY_TITLES[category]}>
            <h3 className={`palette__group-title category-${category}`}>{CATEGORY_TITLES[category]}</h3>
            <ul role="list">
              {kinds.map((kind) => (
                <li
                  key={kind.className}
                  className={`palette__item category-${category}${kind.className === enterAdds ? ' is-enter-target' : ''}`}
                  data-testid={`palette-${kind.className}`}
                  tabIndex={kind.className === tabStop ? 0 : -1}
                  draggable
                  role="button"
                  aria-label={`${kind.className}: ${kind.description} Press Enter to add it.`}
                  title={kind.description}
                  onDragStart={(event) => onDragStart(event, kind.className)}
                  onKeyDown={(event) => onKeyDown(event, kind.className)}
                  onFocus={() => setLastFocused(kind.className)}
                  onDoubleClick={() => addLayerFromPalette(kind.className)}
                >
                  <span className="palette__name">{kind.className}</span>
                  <span className="palette__description">{kind.description}</span>
                </li>
              ))}
            </ul>
          </section>
        ))}
      </div>
    </nav>
  );
}

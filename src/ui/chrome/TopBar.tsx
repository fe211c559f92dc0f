/** The top bar: title, project name, and the commands that act on the whole project. */
import { useCallback, useEffect, useId, useRef, useState, type ChangeEvent } from 'react';
import { useStore } from 'zustand';
import { TEMPLATES } from '../../graph/templates';
import { redo, undo, useGraphStore } from '../../store/graph-store';
import { useUiStore } from '../../store/ui-store';
import { useEditorCommands } from '../commands';
import { ExportMenu } from '../export/ExportMenu';
import { useMenu } from './use-menu';

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform ?? '');
const MOD = isMac ? '⌘' : 'Ctrl+';

function TemplatesMenu() {
  const { open, setOpen, menuId, rootRef, moveFocus } = useMenu();
  const { openTemplate, clearCanvas } = useEditorCommands();

  return (
    <div className="menu" ref={rootRef}>
      <button
        type="button"
        className="button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={menuId}
        data-testid="templates-button"
        onClick={() => setOpen((value) => !value)}
      >
        Templates ▾
      </button>
      {open && (
        <ul className="menu__list" role="menu" id={menuId} aria-label="Templates" onKeyDown={moveFocus}>
          {TEMPLATES.map((template) => (
            <li key={template.id} role="none">
              <button
                type="button"
                role="menuitem"
                className="menu__item"
                data-testid={`template-${template.id}`}
                onClick={() => {
                  setOpen(false);
                  void openTemplate(template.id);
                }}
              >
                <span className="menu__item-title">{template.name}</span>
                <span className="menu__item-description">{template.description}</span>
              </button>
            </li>
          ))}
          <li role="none" className="menu__separator">
            <button
              type="button"
              role="menuitem"
              className="menu__item"
              data-testid="template-blank"
              onClick={() => {
                setOpen(false);
                clearCanvas();
              }}
            >
              <span className="menu__item-title">Blank canvas</span>
              <span className="menu__item-description">Start from nothing; undo brings the previous graph back.</span>
            </button>
          </li>
        </ul>
      )}
    </div>
  );
}

function ShareDialog({ link, onClose }: { link: string; onClose(): void }) {
  const inputRef = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState(false);
  const inputId = useId();

  useEffect(() => {
    inputRef.current?.select();
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [onClose]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(link);
      setCopied(true);
    } catch {
      inputRef.current?.select();
      useUiStore.getState().showToast(`The browser did not allow copying; press ${MOD}C to copy the selected link`, 'error');
    }
  };

  return (
    <div className="share" role="dialog" aria-label="Share link" data-testid="share-dialog">
      <label htmlFor={inputId} className="share__label">
        Link to this graph ({link.length.toLocaleString('en-US')} characters). The graph travels inside the link, after the #, and is never
        sent to a server.
      </label>
      <div className="share__row">
        <input id={inputId} ref={inputRef} className="share__input" readOnly value={link} data-testid="share-link" onFocus={(event) => event.target.select()} />
        <button type="button" className="button button--primary" onClick={() => void copy()}>
          {copied ? 'Copied' : 'Copy'}
        </button>
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}

export function TopBar() {
  const commands = useEditorCommands();
  const fileInput = useRef<HTMLInputElement>(null);
  const projectName = useUiStore((state) => state.projectName);
  const canUndo = useStore(useGraphStore.temporal, (state) => state.pastStates.length > 0);
  const canRedo = useStore(useGraphStore.temporal, (state) => state.futureStates.length > 0);
  const [shareLink, setShareLink] = useState<string | null>(null);
  const [layingOut, setLayingOut] = useState(false);
  const nameId = useId();
  const closeShare = useCallback(() => setShareLink(null), []);

  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const files = [...(event.target.files ?? [])];
    event.target.value = '';
    if (files.length > 0) await commands.openFiles(files);
  };

  return (
    <header className="topbar">
      <h1 className="topbar__title">
        <span className="topbar__logo" aria-hidden="true" />
        Layerlab
      </h1>
      <div className="topbar__name">
        <label htmlFor={nameId} className="visually-hidden">
          Project name
        </label>
        <input
          id={nameId}
          className="topbar__name-input"
          value={projectName}
          spellCheck={false}
          onChange={(event) => useUiStore.getState().setProjectName(event.target.value)}
          data-testid="project-name"
        />
      </div>
      <nav className="topbar__actions" aria-label="Project">
        <TemplatesMenu />
        <button type="button" className="button" onClick={() => fileInput.current?.click()} data-testid="open-button">
          Open
        </button>
        <input
          ref={fileInput}
          type="file"
          accept=".json,application/json,.bin"
          multiple
          className="visually-hidden"
          tabIndex={-1}
          aria-label="Open a Layerlab project, a Keras model JSON, or a TensorFlow.js model.json with its .bin weight files"
          data-testid="project-file-input"
          onChange={(event) => void onFile(event)}
        />
        <button type="button" className="button" onClick={commands.saveProject} data-testid="save-button">
          Save
        </button>
        <button type="button" className="button" onClick={() => setShareLink(commands.createShareLink())} data-testid="share-button">
          Share
        </button>
        <ExportMenu />
        <span className="topbar__divider" aria-hidden="true" />
        <button
          type="button"
          className="button"
          disabled={layingOut}
          data-testid="layout-button"
          onClick={async () => {
            setLayingOut(true);
            try {
              await commands.autoLayout();
            } finally {
              setLayingOut(false);
            }
          }}
        >
          {layingOut ? 'Laying out…' : 'Auto-layout'}
        </button>
        <button type="button" className="button" onClick={commands.fitView} data-testid="fit-button">
          Fit view
        </button>
        <span className="topbar__divider" aria-hidden="true" />
        <button type="button" className="button button--icon" onClick={undo} disabled={!canUndo} title={`Undo (${MOD}Z)`} aria-label="Undo" data-testid="undo-button">
          ↶
        </button>
        <button
          type="button"
          className="button button--icon"
          onClick={redo}
          disabled={!canRedo}
          title={`Redo (${MOD}Shift+Z)`}
          aria-label="Redo"
          data-testid="redo-button"
        >
          ↷
        </button>
      </nav>
      {shareLink && <ShareDialog link={shareLink} onClose={closeShare} />}
    </header>
  );
}

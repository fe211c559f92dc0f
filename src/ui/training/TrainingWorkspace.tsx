/**
 * The area below the canvas: the data panel beside the training panel. On a first start it
 * loads a small built-in data set that fits the default model, so that Train works at once.
 */
import { useEffect } from 'react';
import { useDataStore } from '../../store/data-store';
import { useUiStore } from '../../store/ui-store';
import { loadDefaultData } from '../data/data-actions';
import { DataPanel } from '../data/DataPanel';
import { preloadTrainerWhenIdle } from './controller';
import { TrainingPanel } from './TrainingPanel';
import './training-panel.css';

export interface TrainingWorkspaceProps {
  /** Whether this is a first start with the default model, which gets the default data set. */
  loadDefaultData?: boolean;
}

/** React's Strict Mode runs effects twice in development; the default data set loads once per page. */
let defaultDataRequested = false;

export function TrainingWorkspace({ loadDefaultData: withDefaultData = false }: TrainingWorkspaceProps) {
  useEffect(() => {
    if (!withDefaultData || defaultDataRequested) return;
    defaultDataRequested = true;
    const { loaded, busy } = useDataStore.getState();
    if (!loaded && !busy) void loadDefaultData();
  }, [withDefaultData]);

  useEffect(() => preloadTrainerWhenIdle(), []);

  const collapsed = useUiStore((state) => state.panelsCollapsed);
  return (
    <div className={`training-workspace${collapsed ? ' is-collapsed' : ''}`} data-testid="training-workspace">
      <DataPanel />
      <TrainingPanel />
    </div>
  );
}

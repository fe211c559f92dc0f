/** Entry point: loads the first graph into the store, then renders the editor. */
import '@xyflow/react/dist/style.css';
import './ui/styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { loadInitialGraph } from './ui/startup';

const layoutDefault = loadInitialGraph();
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no element with id "root" to render Layerlab into');

createRoot(root).render(
  <StrictMode>
    <App layoutDefault={layoutDefault} />
  </StrictMode>,
);

/**
 * The editor: top bar, palette on the left, canvas in the centre, inspector and summary on the
 * right, and below the canvas a slot where the data and training panels mount.
 */
import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import { lazy, Suspense, useCallback } from 'react';
import { Canvas } from './ui/canvas/Canvas';
import { Banner, Toast } from './ui/chrome/Messages';
import { TopBar } from './ui/chrome/TopBar';
import { Inspector } from './ui/inspector/Inspector';
import { Palette } from './ui/palette/Palette';
import { useShortcuts } from './ui/shortcuts';
import { useStartup } from './ui/startup';
import { SummaryPanel } from './ui/summary/SummaryPanel';

// The data and training panels (and recharts with them) load in their own chunk, so the editor
// is interactive before they arrive.
const TrainingWorkspace = lazy(() => import('./ui/training/TrainingWorkspace').then((module) => ({ default: module.TrainingWorkspace })));

export interface AppProps {
  /** Whether the first graph is the default template, which elkjs lays out after the first render. */
  layoutDefault?: boolean;
}

function Editor({ layoutDefault = false }: AppProps) {
  useShortcuts();
  useStartup(layoutDefault);
  const flow = useReactFlow();

  const revealLayer = useCallback(
    (nodeId: string) => {
      const node = flow.getNode(nodeId);
      if (!node) return;
      const width = node.measured?.width ?? 0;
      const height = node.measured?.height ?? 0;
      void flow.setCenter(node.position.x + width / 2, node.position.y + height / 2, { zoom: flow.getZoom(), duration: 200 });
    },
    [flow],
  );

  return (
    <div className="app">
      <TopBar />
      <Banner />
      <div className="workspace">
        <Palette />
        <main className="stage">
          <Canvas />
          <section id="training-panel-slot" className="training-slot">
            <Suspense fallback={<p className="training-slot__loading">Loading the data and training panels…</p>}>
              <TrainingWorkspace loadDefaultData={layoutDefault} />
            </Suspense>
          </section>
        </main>
        <div className="sidebar">
          <Inspector />
          <SummaryPanel onSelectLayer={revealLayer} />
        </div>
      </div>
      <Toast />
    </div>
  );
}

export function App(props: AppProps) {
  return (
    <ReactFlowProvider>
      <Editor {...props} />
    </ReactFlowProvider>
  );
}

// @vitest-environment jsdom
import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { getTemplate } from '../../src/graph/templates';
import { useUiStore } from '../../src/store/ui-store';
import { SummaryPanel } from '../../src/ui/summary/SummaryPanel';
import { startWith } from './setup';

describe('SummaryPanel', () => {
  it('shows 60,929 for the solubility template', () => {
    startWith(getTemplate('solubility')!.build());
    render(<SummaryPanel />);
    expect(screen.getByTestId('summary-total-params').textContent).toBe('60,929');
    expect(screen.getByTestId('summary-trainable-params').textContent).toBe('60,929');
    expect(screen.getByTestId('summary-non-trainable-params').textContent).toBe('0');
  });

  it('prints rows as Keras does', () => {
    startWith(getTemplate('solubility')!.build());
    render(<SummaryPanel />);
    const row = within(screen.getByTestId('summary-row-n3'));
    expect(row.getByText('conv1d')).toBeTruthy();
    expect(row.getByText('(Conv1D)')).toBeTruthy();
    expect(row.getByText('(None, 196, 16)')).toBeTruthy();
    expect(row.getByText('1,296')).toBeTruthy();
  });

  it('lists no inputs for a chain', () => {
    startWith(getTemplate('solubility')!.build());
    render(<SummaryPanel />);
    expect(screen.queryByText(/Connected to/)).toBeNull();
  });

  it('lists the inputs of a branching model', () => {
    startWith(getTemplate('residual')!.build());
    render(<SummaryPanel />);
    expect(screen.getByText(/Connected to/)).toBeTruthy();
    const add = screen.getByLabelText('add is connected to');
    expect(add.textContent).toBe('← conv2d[0][0], batch_normalization_1[0][0]');
  });

  it('clicking a row selects the layer', () => {
    startWith(getTemplate('solubility')!.build());
    const revealed: string[] = [];
    render(<SummaryPanel onSelectLayer={(id) => revealed.push(id)} />);
    fireEvent.click(screen.getByTestId('summary-row-n10'));
    expect(useUiStore.getState().selectedNodeIds).toEqual(['n10']);
    expect(revealed).toEqual(['n10']);
  });

  it('Enter on a row selects the layer', () => {
    startWith(getTemplate('solubility')!.build());
    render(<SummaryPanel />);
    const row = screen.getByTestId('summary-row-n2');
    row.focus();
    fireEvent.keyDown(row, { key: 'Enter' });
    expect(useUiStore.getState().selectedNodeIds).toEqual(['n2']);
    expect(row.getAttribute('aria-selected')).toBe('true');
  });

  it('rows are one Tab stop with arrow keys', () => {
    startWith(getTemplate('solubility')!.build());
    render(<SummaryPanel />);
    const rows = screen.getAllByRole('row').filter((row) => row.dataset.testid?.startsWith('summary-row-'));
    expect(rows.filter((row) => row.tabIndex === 0)).toEqual([rows[0]]);

    rows[0].focus();
    fireEvent.keyDown(rows[0], { key: 'ArrowDown' });
    expect(document.activeElement).toBe(rows[1]);
    expect(rows[1].tabIndex).toBe(0);
    expect(rows[0].tabIndex).toBe(-1);
    fireEvent.keyDown(rows[1], { key: 'ArrowUp' });
    expect(document.activeElement).toBe(rows[0]);
    // The first row keeps the focus at the top.
    fireEvent.keyDown(rows[0], { key: 'ArrowUp' });
    expect(document.activeElement).toBe(rows[0]);
    fireEvent.keyDown(rows[0], { key: 'End' });
    expect(document.activeElement).toBe(rows[rows.length - 1]);
    fireEvent.keyDown(rows[rows.length - 1], { key: 'Home' });
    expect(document.activeElement).toBe(rows[0]);
  });

  it('says so when the model is empty', () => {
    render(<SummaryPanel />);
    expect(screen.getByText(/The model is empty/)).toBeTruthy();
    expect(screen.getByTestId('summary-total-params').textContent).toBe('0');
  });
});

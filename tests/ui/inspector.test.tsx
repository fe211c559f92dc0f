// @vitest-environment jsdom
import { act, fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { getTemplate } from '../../src/graph/templates';
import { inferGraph } from '../../src/graph/infer';
import { undo, useGraphStore } from '../../src/store/graph-store';
import { Inspector } from '../../src/ui/inspector/Inspector';
import { startWith } from './setup';

/** Renders the inspector over the solubility template with its first Conv1D (n3) selected. */
function renderWithConv1D() {
  startWith(getTemplate('solubility')!.build(), ['n3']);
  return render(<Inspector />);
}

function conv1dParams() {
  return useGraphStore.getState().graph.nodes.find((node) => node.id === 'n3')!.params;
}

function nodeParams(nodeId: string) {
  return useGraphStore.getState().graph.nodes.find((node) => node.id === nodeId)!.params;
}

function inputShape() {
  return useGraphStore.getState().graph.nodes[0].params.shape;
}

/**
 * Types text such as "1e" into a number input. Browsers then report the value as '' and set
 * `validity.badInput`, which jsdom does not compute, so the test sets it.
 */
function typeBadNumber(input: HTMLInputElement) {
  Object.defineProperty(input, 'validity', { configurable: true, get: () => ({ badInput: true }) });
  fireEvent.change(input, { target: { value: '' } });
}

function typeNumber(input: HTMLInputElement, text: string) {
  delete (input as unknown as { validity?: unknown }).validity;
  fireEvent.change(input, { target: { value: text } });
}

describe('Inspector', () => {
  it('asks for a selection when none exists', () => {
    startWith(getTemplate('solubility')!.build());
    render(<Inspector />);
    expect(screen.getByText(/Select a layer/)).toBeTruthy();
  });

  it('labels every input', () => {
    renderWithConv1D();
    for (const input of screen.getAllByRole('spinbutton') as HTMLInputElement[]) {
      const labelled = (input.labels?.length ?? 0) > 0 || input.hasAttribute('aria-label');
      expect(labelled, input.dataset.testid).toBe(true);
    }
    expect(screen.getByLabelText('filters')).toBe(screen.getByTestId('inspector-filters'));
  });

  it('an invalid value shows a message and leaves the graph', () => {
    renderWithConv1D();
    const before = useGraphStore.getState().graph;
    const input = screen.getByTestId('inspector-kernelSize');
    fireEvent.change(input, { target: { value: '0' } });

    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('kernelSize must be ≥ 1 but got 0')).toBeTruthy();
    expect(useGraphStore.getState().graph).toBe(before);
  });

  it('a fraction in a whole-number field is invalid', () => {
    renderWithConv1D();
    fireEvent.change(screen.getByTestId('inspector-filters'), { target: { value: '2.5' } });
    expect(screen.getByText('filters must be a whole number ≥ 1 but got 2.5')).toBeTruthy();
    expect(conv1dParams().filters).toBe(16);
  });

  it('an empty required field is invalid', () => {
    renderWithConv1D();
    fireEvent.change(screen.getByTestId('inspector-filters'), { target: { value: '' } });
    expect(screen.getByText(/filters is missing/)).toBeTruthy();
    expect(conv1dParams().filters).toBe(16);
  });

  it('a valid value updates the graph and the explanation', () => {
    renderWithConv1D();
    fireEvent.change(screen.getByTestId('inspector-kernelSize'), { target: { value: '7' } });

    expect(conv1dParams().kernelSize).toBe(7);
    const inference = inferGraph(useGraphStore.getState().graph);
    expect(inference.nodes.get('n3')!.outputShapes).toEqual([[null, 194, 16]]);
    expect(screen.getByTestId('explain-output-shape').textContent).toBe('(None, 194, 16)');
    expect(screen.getByTestId('explain-params').textContent).toBe('kernel 7 × 16 × 16 + bias 16 = 1,808');
  });

  it('a valid value after an invalid one clears the message', () => {
    renderWithConv1D();
    const input = screen.getByTestId('inspector-kernelSize');
    fireEvent.change(input, { target: { value: '0' } });
    fireEvent.change(input, { target: { value: '3' } });
    expect(input.getAttribute('aria-invalid')).toBeNull();
    expect(conv1dParams().kernelSize).toBe(3);
  });

  it('typing digits of one number is one undo step', () => {
    renderWithConv1D();
    const original = useGraphStore.getState().graph;
    const input = screen.getByTestId('inspector-filters');
    fireEvent.change(input, { target: { value: '3' } });
    fireEvent.change(input, { target: { value: '32' } });
    expect(conv1dParams().filters).toBe(32);
    act(() => undo());
    expect(useGraphStore.getState().graph).toBe(original);
    expect((screen.getByTestId('inspector-filters') as HTMLInputElement).value).toBe('16');
  });

  it('selects change an enum', () => {
    renderWithConv1D();
    fireEvent.change(screen.getByTestId('inspector-padding'), { target: { value: 'same' } });
    expect(conv1dParams().padding).toBe('same');
  });

  it('a checkbox changes a bool', () => {
    renderWithConv1D();
    fireEvent.click(screen.getByTestId('inspector-useBias'));
    expect(conv1dParams().useBias).toBe(false);
  });

  it('a regularizer switches on with l2 0.01', () => {
    renderWithConv1D();
    fireEvent.click(screen.getByTestId('inspector-kernelRegularizer-enabled'));
    expect(conv1dParams().kernelRegularizer).toEqual({ l1: 0, l2: 0.01 });
    fireEvent.change(screen.getByTestId('inspector-kernelRegularizer-l2'), { target: { value: '-1' } });
    expect(screen.getByText(/kernelRegularizer.l2 must be a number ≥ 0/)).toBeTruthy();
    expect(conv1dParams().kernelRegularizer).toEqual({ l1: 0, l2: 0.01 });
  });

  it('a 2-D tuple edits as two numbers', () => {
    startWith(getTemplate('digits-conv2d')!.build(), ['n2']);
    render(<Inspector />);
    expect(screen.getByTestId('inspector-kernelSize').querySelectorAll('input')).toHaveLength(2);
    fireEvent.change(screen.getByTestId('inspector-kernelSize-1'), { target: { value: '5' } });
    const node = useGraphStore.getState().graph.nodes.find((item) => item.id === 'n2')!;
    expect(node.params.kernelSize).toEqual([3, 5]);
  });

  it('a shape edits as a comma-separated list', () => {
    startWith(getTemplate('solubility')!.build(), ['n1']);
    render(<Inspector />);
    const input = screen.getByTestId('inspector-shape') as HTMLInputElement;
    expect(input.value).toBe('200');
    fireEvent.change(input, { target: { value: '100, ' } });
    expect(useGraphStore.getState().graph.nodes[0].params.shape).toEqual([100]);
    fireEvent.change(input, { target: { value: '100, x' } });
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(useGraphStore.getState().graph.nodes[0].params.shape).toEqual([100]);
  });

  it('an empty shape entry is invalid', () => {
    startWith(getTemplate('solubility')!.build(), ['n1']);
    render(<Inspector />);
    const input = screen.getByTestId('inspector-shape') as HTMLInputElement;
    fireEvent.change(input, { target: { value: '28,,28' } });
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('shape has an empty entry in "28,,28"; write a size between the commas, or None for an unknown size')).toBeTruthy();
    expect(inputShape()).toEqual([200]);

    fireEvent.change(input, { target: { value: ',28' } });
    expect(screen.getByText(/shape has an empty entry in ",28"/)).toBeTruthy();
    expect(inputShape()).toEqual([200]);
  });

  it('None marks an unknown size', () => {
    startWith(getTemplate('solubility')!.build(), ['n1']);
    render(<Inspector />);
    fireEvent.change(screen.getByTestId('inspector-shape'), { target: { value: '28, None, 28' } });
    expect(inputShape()).toEqual([28, null, 28]);
  });

  it('a shape without commas asks for commas', () => {
    startWith(getTemplate('solubility')!.build(), ['n1']);
    render(<Inspector />);
    const input = screen.getByTestId('inspector-shape');
    fireEvent.change(input, { target: { value: '28 28 1' } });
    expect(screen.getByText('shape must be sizes separated by commas, e.g. 28, 28, 1')).toBeTruthy();
    expect(inputShape()).toEqual([200]);

    fireEvent.change(input, { target: { value: '28x28' } });
    expect(screen.getByText('shape must be sizes separated by commas, e.g. 28, 28')).toBeTruthy();
    expect(inputShape()).toEqual([200]);
  });

  it('non-number text in units', () => {
    startWith(getTemplate('solubility')!.build(), ['n10']);
    render(<Inspector />);
    const input = screen.getByTestId('inspector-units') as HTMLInputElement;
    typeBadNumber(input);
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('units must be a whole number ≥ 1, but the text is not a number')).toBeTruthy();
    expect(screen.queryByText(/units is missing/)).toBeNull();
    expect(nodeParams('n10').units).toBe(256);

    typeNumber(input, '64');
    expect(input.getAttribute('aria-invalid')).toBeNull();
    expect(nodeParams('n10').units).toBe(64);
  });

  it('non-number text leaves a nullable value', () => {
    startWith(getTemplate('solubility')!.build(), ['n2']);
    render(<Inspector />);
    const input = screen.getByTestId('inspector-inputLength') as HTMLInputElement;
    typeNumber(input, '200');
    expect(nodeParams('n2').inputLength).toBe(200);
    typeBadNumber(input);
    expect(screen.getByText('inputLength must be a whole number ≥ 1, but the text is not a number')).toBeTruthy();
    expect(nodeParams('n2').inputLength).toBe(200);
  });

  it('non-number text in one axis', () => {
    renderWithConv1D();
    typeBadNumber(screen.getByTestId('inspector-kernelSize') as HTMLInputElement);
    expect(screen.getByText('kernelSize must be a whole number ≥ 1, but the text is not a number')).toBeTruthy();
    expect(conv1dParams().kernelSize).toBe(5);
  });

  it('non-number text in a tuple', () => {
    startWith(getTemplate('digits-conv2d')!.build(), ['n2']);
    render(<Inspector />);
    typeBadNumber(screen.getByTestId('inspector-kernelSize-1') as HTMLInputElement);
    expect(screen.getByText('kernelSize columns must be a whole number ≥ 1, but the text is not a number')).toBeTruthy();
    expect(nodeParams('n2').kernelSize).toEqual([3, 3]);
  });

  it('the name must be unique', () => {
    renderWithConv1D();
    const input = screen.getByTestId('inspector-layer-name');
    fireEvent.change(input, { target: { value: 'dense' } });
    expect(screen.getByText(/already named "dense"/)).toBeTruthy();
    expect(useGraphStore.getState().graph.nodes.find((node) => node.id === 'n3')!.name).toBe('conv1d');
    fireEvent.change(input, { target: { value: 'motifs' } });
    expect(useGraphStore.getState().graph.nodes.find((node) => node.id === 'n3')!.name).toBe('motifs');
  });

  it('shows the error and its fix for a rank error', () => {
    const graph = getTemplate('solubility')!.build();
    const flatten = graph.nodes.find((node) => node.kind === 'Flatten')!;
    const dense = graph.nodes.find((node) => node.name === 'dense')!;
    graph.nodes = graph.nodes.filter((node) => node !== flatten);
    graph.edges = graph.edges
      .filter((edge) => edge.source !== flatten.id)
      .map((edge) => (edge.target === flatten.id ? { ...edge, target: dense.id } : edge));
    startWith(graph, [dense.id]);
    render(<Inspector />);

    fireEvent.click(screen.getByRole('button', { name: 'Add Flatten before it' }));
    const fixed = inferGraph(useGraphStore.getState().graph);
    expect(fixed.errors).toEqual([]);
    expect(fixed.totalParams).toBe(60_929);
  });
});

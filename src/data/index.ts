/** Data sets for training: file readers (.npy, .npz, .csv), built-in sets, shuffling and splits. */

export * from './errors';
export * from './npy';
export * from './npz';
export * from './csv';
export * from './dataset';
export * from './split';
export * from './builtin';
export * from './assets';
export * from './mnist';
export * from './penguins';

/** Machine-readable reason for a `DataFileError`, so the UI can react without parsing text. */
export type DataErrorCode =
  | 'invalid-npy'
  | 'unsupported-dtype'
  | 'integer-overflow'
  | 'float-overflow'
  | 'invalid-npz'
  | 'file-too-large'
  | 'zip-bomb'
  | 'invalid-csv'
  | 'empty-file'
  | 'ragged-row'
  | 'missing-column'
  | 'invalid-dataset'
  | 'invalid-option'
  | 'fetch-failed';

/**
 * Error raised for any data file or data set that cannot be read or used.
 * The message states what failed, on which value, and what to do. `fileName` names the file or
 * array that was being read, when one is known.
 */
export class DataFileError extends Error {
  override readonly name = 'DataFileError';
  readonly code: DataErrorCode;
  readonly fileName?: string;

  constructor(code: DataErrorCode, message: string, fileName?: string) {
    super(message);
    this.code = code;
    this.fileName = fileName;
  }
}

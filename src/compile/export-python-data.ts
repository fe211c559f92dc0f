/**
 * The settings, data loading, splitting and training parts of the generated Python script.
 * The loaders repeat the rules of the app's readers (`src/data/dataset.ts` for .npz files,
 * `src/data/csv.ts` for .csv files) in Python, so the script trains on the same examples with
 * the same labels.
 */
import type { LossName, MonitorName, OptimizerSettings, TrainingConfig } from './training-config';
import { toSnakeCase } from './keras-export';
import { pythonLiteral, pythonNumber, pythonString, pythonStringList } from './python-literals';

/** The data file the script reads, and how to read it. */
export interface PythonDataOptions {
  fileName: string;
  format: 'npz' | 'csv';
  /** .npz: the array of features. With `labels` it replaces the positives/negatives and x/y conventions. */
  features?: string;
  /** .npz: the array of labels. */
  labels?: string;
  /** .csv: the label column; the last column by default. */
  labelColumn?: string;
  /** .csv: columns to leave out, e.g. ids. */
  ignoreColumns?: string[];
  /** .csv: columns read as text (one-hot) although most of their values are numbers. */
  textColumns?: string[];
  /** .csv: read numbers written with a decimal comma, such as 0,5. */
  decimalComma?: boolean;
  /** .csv: drop rows with a missing feature value (default) or fill them with the column's mean or most frequent category. */
  missing?: 'drop' | 'fill';
  /** .csv: rescale numeric feature columns to mean 0 and standard deviation 1. */
  standardize?: boolean;
  /** .csv: field delimiter; detected as papaparse detects it by default. */
  delimiter?: string;
  /** Overrides the task the loader guesses from the labels. */
  task?: 'classification' | 'regression';
  /** .csv: class names in class-index order, as the app read them, so that text labels keep their indices. */
  classNames?: string[];
  /** The origin of the data file when the app did not read one (a built-in set), written as a comment above DATA_FILE. */
  note?: string;
}

/** The shape facts about the model that the training part needs. */
export interface ModelFacts {
  inputCount: number;
  outputCount: number;
  /** dtype of the single Input layer, to which the features are cast. */
  inputDtype: string;
}

function optional(value: string | undefined): string {
  return value === undefined ? 'None' : pythonString(value);
}

/** Writes the constants at the top of the script, which a person may edit. */
export function settingsSection(data: PythonDataOptions, training: TrainingConfig): string {
  const lines = [
    '# Settings from Layerlab; edit them here.',
    ...(data.note ? [`# ${data.note}`] : []),
    `DATA_FILE = ${pythonString(data.fileName)}`,
    `SEED = ${training.seed}`,
    `EPOCHS = ${training.epochs}`,
    `BATCH_SIZE = ${training.batchSize}`,
    `VALIDATION_FRACTION = ${pythonNumber(training.validationFraction)}`,
    `TEST_FRACTION = ${pythonNumber(training.testFraction)}`,
    `LEARNING_RATE = ${pythonNumber(training.optimizer.learningRate)}`,
    `LOSS = ${pythonString(toSnakeCase(training.loss))}`,
    `METRICS = ${pythonStringList(training.metrics)}`,
    '# "classification", "regression", or None to decide from the labels as Layerlab does.',
    `TASK = ${optional(data.task)}`,
  ];
  if (data.format === 'npz') {
    lines.push(
      '# The arrays of features and labels; None finds them by name as Layerlab does.',
      `FEATURES_ARRAY = ${optional(data.features)}`,
      `LABELS_ARRAY = ${optional(data.labels)}`,
    );
  } else {
    lines.push(
      '# The label column; None takes the last column.',
      `LABEL_COLUMN = ${optional(data.labelColumn)}`,
      `IGNORE_COLUMNS = ${pythonStringList(data.ignoreColumns ?? [])}`,
      '# Columns of mostly numbers read as text; elsewhere a value that is not a number counts as missing.',
      `TEXT_COLUMNS = ${pythonStringList(data.textColumns ?? [])}`,
      `DECIMAL_COMMA = ${pythonLiteral(data.decimalComma ?? false)}`,
      '# "drop" removes rows with a missing feature value; "fill" uses the column mean or most frequent category.',
      `MISSING = ${pythonString(data.missing ?? 'drop')}`,
      `STANDARDIZE = ${pythonLiteral(data.standardize ?? false)}`,
      '# The field delimiter; None detects it.',
      `DELIMITER = ${optional(data.delimiter)}`,
      '# Class names of text labels in class-index order; None sorts them.',
      `CLASS_NAMES = ${data.classNames ? pythonStringList(data.classNames) : 'None'}`,
    );
  }
  return lines.join('\n');
}

/** `load_data()` for the data file's format and `split_indices()`. */
export function dataSection(data: PythonDataOptions): string {
  return `${data.format === 'npz' ? NPZ_LOADER : CSV_LOADER}\n\n\n${SPLIT}`;
}

const NPZ_LOADER = `FEATURE_NAME = re.compile(r"(x|features|inputs?|data)(_\\w+)?", re.IGNORECASE | re.ASCII)
LABEL_NAME = re.compile(r"(y|labels?|targets?)(_\\w+)?", re.IGNORECASE | re.ASCII)
MAX_CLASS_INDEX = 9999


def load_data(path=DATA_FILE):
    """Read features and labels from a .npz file as Layerlab does.

    With FEATURES_ARRAY and LABELS_ARRAY set, those arrays are used. Otherwise arrays named
    positives and negatives are joined, positives first with label 1 and negatives with label 0;
    failing that, exactly one array must have a features name (x, features, inputs, data, with
    an optional suffix such as _train) and one a labels name (y, labels, targets).
    """
    with np.load(path) as arrays:
        names = list(arrays.files)
        if FEATURES_ARRAY is not None and LABELS_ARRAY is not None:
            features, labels = FEATURES_ARRAY, LABELS_ARRAY
        elif "positives" in names and "negatives" in names:
            positives, negatives = arrays["positives"], arrays["negatives"]
            x = np.concatenate([positives, negatives])
            y = np.concatenate([np.ones(len(positives), "int32"), np.zeros(len(negatives), "int32")])
            return as_features(x), y
        else:
            feature_names = [name for name in names if FEATURE_NAME.fullmatch(name)]
            label_names = [name for name in names if LABEL_NAME.fullmatch(name)]
            if len(feature_names) != 1 or len(label_names) != 1:
                raise SystemExit(
                    f"{path} contains the arrays {', '.join(names)}; set FEATURES_ARRAY and LABELS_ARRAY "
                    "to the arrays that hold the features and the labels"
                )
            features, labels = feature_names[0], label_names[0]
        x, y = arrays[features], arrays[labels]
    if x.ndim == 0 or y.ndim == 0 or len(x) != len(y):
        raise SystemExit(f"In {path}, features {features!r} {x.shape} and labels {labels!r} {y.shape} need the same number of examples")
    return as_features(x), as_labels(y, labels)


def as_features(x):
    """Floats as float32, integers and booleans as int32; one number per example becomes shape (n, 1)."""
    x = x.astype("float32") if x.dtype.kind == "f" else x.astype("int32")
    return x.reshape(-1, 1) if x.ndim == 1 else x


def as_labels(y, name):
    """Class indices as int32 and regression targets as float32.

    Integer and boolean labels are classes; float labels are classes only when all are 0 or 1.
    """
    task = TASK
    if task is None:
        task = "classification" if y.dtype.kind in "biu" or np.isin(y, (0, 1)).all() else "regression"
    if task == "regression":
        return y.astype("float32")
    if y.size and not (np.all(y == np.round(y)) and y.min() >= 0 and y.max() <= MAX_CLASS_INDEX):
        raise SystemExit(
            f"The labels {name!r} are not all class indices 0 to {MAX_CLASS_INDEX}; "
            'map the classes to 0, 1, 2, ... or set TASK = "regression"'
        )
    return y.astype("int32")`;

const CSV_LOADER = `MISSING_VALUES = ("", "NA", "NaN", "?")
NUMBER = re.compile(r"[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?", re.ASCII)
DECIMAL_COMMA_NUMBER = re.compile(r"\\s*[-+]?(\\d+,\\d*|,\\d+)([eE][-+]?\\d+)?\\s*", re.ASCII)
MAX_ONE_HOT_CATEGORIES = 100
MAX_GUESSED_CLASSES = 20


def is_missing(cell):
    return cell.strip() in MISSING_VALUES


def parse_number(cell):
    """The number in a cell, or None for text; forms such as 0x1F or inf count as text."""
    text = cell.strip()
    if not NUMBER.fullmatch(text):
        return None
    value = float(text)
    return value if math.isfinite(value) else None


def to_decimal_point(cell):
    """A number written with a decimal comma, such as 0,5, with a decimal point instead."""
    return cell.replace(",", ".", 1) if DECIMAL_COMMA_NUMBER.fullmatch(cell) else cell


def guess_delimiter(text):
    """The delimiter papaparse picks: the candidate whose first ten rows have the steadiest
    field counts, with more than one field per row on average; a comma when none fits."""
    best, best_delta, best_average = ",", None, None
    for delimiter in (",", "\\t", "|", ";", "\\x1e", "\\x1f"):
        rows = [row for row in itertools.islice(csv.reader(io.StringIO(text), delimiter=delimiter), 10) if row]
        if not rows:
            continue
        delta, previous = 0, None
        for row in rows:
            if previous is not None:
                delta += abs(len(row) - previous)
            previous = len(row)
        average = sum(len(row) for row in rows) / len(rows)
        if (best_delta is None or delta <= best_delta) and (best_average is None or average > best_average) and average > 1.99:
            best, best_delta, best_average = delimiter, delta, average
    return best


def read_table(path):
    """The header and the data rows of a CSV file; blank lines are skipped."""
    with open(path, newline="", encoding="utf-8-sig") as file:
        text = file.read()
    delimiter = DELIMITER if DELIMITER is not None else guess_delimiter(text)
    rows = [row for row in csv.reader(io.StringIO(text), delimiter=delimiter) if row]
    if len(rows) < 2:
        raise SystemExit(f"{path} needs a header row and at least one data row")
    header = [name.strip() or f"column {index + 1}" for index, name in enumerate(rows[0])]
    for number, row in enumerate(rows[1:], start=1):
        if len(row) != len(header):
            raise SystemExit(f"{path} data row {number} has {len(row)} fields, but the header has {len(header)}")
    return header, rows[1:]


def describe_column(name, cells):
    """Whether a column is numeric (with mean and population standard deviation) or text (with sorted categories)."""
    present = [cell for cell in cells if not is_missing(cell)]
    if not present:
        raise SystemExit(f"Column {name!r} has no values in any labelled row; add it to IGNORE_COLUMNS")
    numbers = [parse_number(cell) for cell in present]
    if all(number is not None for number in numbers):
        mean = sum(numbers) / len(numbers)
        std = math.sqrt(sum((number - mean) ** 2 for number in numbers) / len(numbers))
        return {"numeric": True, "mean": mean, "std": std}
    counts = {}
    for cell in present:
        counts[cell.strip()] = counts.get(cell.strip(), 0) + 1
    categories = sorted(counts)
    # max() keeps the first of equal counts, so ties go to the category that sorts first.
    return {"numeric": False, "categories": categories, "most_frequent": max(categories, key=counts.get)}


def check_column_values(header, rows, feature_indices):
    """Copies of the rows and the feature columns to leave out, by Layerlab's rules.

    A column whose values are mostly numbers is read as numbers, and its other values become
    missing values, unless it is in TEXT_COLUMNS. A text column with more than
    MAX_ONE_HOT_CATEGORIES distinct values is left out.
    """
    rows = [list(row) for row in rows]
    left_out = []
    for index in feature_indices:
        present = [row for row in rows if not is_missing(row[index])]
        not_numbers = [row for row in present if parse_number(row[index]) is None]
        if not not_numbers:
            continue
        if len(not_numbers) < len(present) / 2 and header[index] not in TEXT_COLUMNS:
            for row in not_numbers:
                row[index] = ""
            continue
        written_with_commas = any(DECIMAL_COMMA_NUMBER.fullmatch(row[index]) for row in not_numbers)
        if written_with_commas and all(parse_number(to_decimal_point(row[index])) is not None for row in not_numbers):
            # Numbers with decimal commas while DECIMAL_COMMA is off: one-hot text, as in Layerlab.
            continue
        if len({row[index].strip() for row in present}) > MAX_ONE_HOT_CATEGORIES:
            print(f"Column {header[index]!r} has more than {MAX_ONE_HOT_CATEGORIES} distinct text values, so it is left out", file=sys.stderr)
            left_out.append(index)
    return rows, left_out


def load_data(path=DATA_FILE):
    """Read a CSV file as Layerlab does: numeric columns as they are, text columns one-hot,
    missing values dropped or filled, and one label column."""
    header, rows = read_table(path)
    if DECIMAL_COMMA:
        rows = [[to_decimal_point(cell) for cell in row] for row in rows]
    label_column = LABEL_COLUMN if LABEL_COLUMN is not None else header[-1]
    if label_column not in header:
        raise SystemExit(f"{path} has no column {label_column!r}; its columns are {', '.join(header)}")
    label_index = header.index(label_column)
    requested = [index for index, name in enumerate(header) if index != label_index and name not in IGNORE_COLUMNS]

    # Rows without a label teach nothing, so they are removed whatever MISSING says.
    rows = [row for row in rows if not is_missing(row[label_index])]
    rows, left_out = check_column_values(header, rows, requested)
    feature_indices = [index for index in requested if index not in left_out]
    if not feature_indices:
        raise SystemExit(f"{path} has no feature columns besides the label column {label_column!r}")
    if MISSING == "drop":
        rows = [row for row in rows if not any(is_missing(row[index]) for index in feature_indices)]
    if not rows:
        raise SystemExit(f"{path} has no rows left once rows with missing values are removed")
    columns = [describe_column(header[index], [row[index] for row in rows]) for index in feature_indices]

    features = []
    for row in rows:
        values = []
        for column, index in zip(columns, feature_indices):
            cell = row[index]
            if column["numeric"]:
                value = column["mean"] if is_missing(cell) else parse_number(cell)
                values.append((value - column["mean"]) / (column["std"] or 1) if STANDARDIZE else value)
            else:
                category = column["most_frequent"] if is_missing(cell) else cell.strip()
                values.extend(1.0 if category == other else 0.0 for other in column["categories"])
        features.append(values)
    return np.array(features, dtype="float32"), encode_labels([row[label_index] for row in rows], label_column)


def encode_labels(cells, label_column):
    """Class indices as int32 or regression targets as float32.

    Text labels are classes. Numbers are classes when all are whole and there are at most
    MAX_GUESSED_CLASSES distinct values; numeric classes keep their ascending order.
    """
    numbers = [parse_number(cell) for cell in cells]
    if any(number is None for number in numbers):
        if TASK == "regression":
            raise SystemExit(f"Label column {label_column!r} contains text, so it cannot be a regression target")
        names = [cell.strip() for cell in cells]
        # NOTE: Layerlab sorts text classes in the browser's locale order; sorted() uses code points,
        # which can differ in case and accents. Set CLASS_NAMES to keep Layerlab's class indices.
        classes = CLASS_NAMES if CLASS_NAMES is not None else sorted(set(names))
        unknown = sorted(set(names) - set(classes))
        if unknown:
            raise SystemExit(f"Label column {label_column!r} contains {', '.join(unknown)}, which CLASS_NAMES does not list")
        index = {name: position for position, name in enumerate(classes)}
        return np.array([index[name] for name in names], dtype="int32")

    whole = all(number.is_integer() for number in numbers)
    task = TASK or ("classification" if whole and len(set(numbers)) <= MAX_GUESSED_CLASSES else "regression")
    if task == "regression":
        return np.array(numbers, dtype="float32")
    if not whole:
        raise SystemExit(f'Label column {label_column!r} contains numbers that are not whole, so they cannot be classes; set TASK = "regression"')
    index = {value: position for position, value in enumerate(sorted(set(numbers)))}
    return np.array([index[number] for number in numbers], dtype="int32")`;

const SPLIT = `def split_indices(count):
    """Example indices of the training, validation and test splits, with Layerlab's fractions.

    The validation and test splits get round(count * fraction) examples each and training the rest.
    NOTE: numpy's default_rng(SEED).permutation orders the examples differently from Layerlab's
    generator, so the splits hold other examples than in the app, but the fractions are the same.
    """
    order = np.random.default_rng(SEED).permutation(count)
    # floor(v + 0.5) rounds halves up, as JavaScript's Math.round does; Python's round() would not.
    test_count = math.floor(count * TEST_FRACTION + 0.5)
    validation_count = min(math.floor(count * VALIDATION_FRACTION + 0.5), count - test_count)
    train_count = count - test_count - validation_count
    return order[:train_count], order[train_count:train_count + validation_count], order[train_count + validation_count:]`;

/** Keras's name of a monitored quantity: tfjs logs accuracy as `acc`, Keras as `accuracy`. */
export function kerasMonitor(monitor: MonitorName): string {
  return monitor.replace(/(^|_)acc$/, '$1accuracy');
}

function optimizerExpression(optimizer: OptimizerSettings): string {
  const momentum = optimizer.momentum ? `, momentum=${pythonNumber(optimizer.momentum)}` : '';
  switch (optimizer.name) {
    case 'adam':
      return 'keras.optimizers.Adam(learning_rate=LEARNING_RATE)';
    case 'sgd':
      return `keras.optimizers.SGD(learning_rate=LEARNING_RATE${momentum})`;
    case 'rmsprop':
      // tfjs's rmsprop decays its average with 0.9, Keras's rho default.
      return `keras.optimizers.RMSprop(learning_rate=LEARNING_RATE${momentum})`;
    case 'adagrad':
      return 'keras.optimizers.Adagrad(learning_rate=LEARNING_RATE)';
  }
}

/** Writes `prepare_labels()`, which turns labels into the arrays the loss takes, as the app's batches do. */
function prepareLabels(loss: LossName): string {
  if (loss === 'categoricalCrossentropy') {
    return `def prepare_labels(y, units):
    """Class indices become one-hot rows as wide as the output; other labels pass as float32."""
    if y.ndim == 1 or y.shape[1:] == (1,):
        return keras.utils.to_categorical(y.reshape(-1), num_classes=units).astype("float32")
    return y.astype("float32")`;
  }
  return `def prepare_labels(y, units):
    """Labels as float32, with one value per example as shape (n, 1)."""
    y = y.astype("float32")
    return y.reshape(-1, 1) if y.ndim == 1 else y`;
}

function earlyStoppingLines(training: TrainingConfig): string {
  const stopping = training.earlyStopping;
  if (!stopping.enabled) return '    callbacks = []';
  const monitor = kerasMonitor(stopping.monitor);
  const mode = /(^|_)(acc|accuracy)$/.test(monitor) ? 'max' : 'min';
  return [
    '    callbacks = [',
    '        keras.callbacks.EarlyStopping(',
    `            monitor=${pythonString(monitor)},`,
    `            patience=${stopping.patience},`,
    `            min_delta=${pythonNumber(stopping.minDelta)},`,
    `            mode=${pythonString(mode)},`,
    `            restore_best_weights=${stopping.restoreBestWeights ? 'True' : 'False'},`,
    '        )',
    '    ]',
  ].join('\n');
}

/** `compile_model()`, `prepare_labels()` and `main()`. */
export function trainingSection(training: TrainingConfig, model: ModelFacts): string {
  const compile = `def compile_model(model):
    """Compile with the loss, optimizer and metrics chosen in Layerlab."""
    model.compile(optimizer=${optimizerExpression(training.optimizer)}, loss=LOSS, metrics=METRICS)`;

  const main =
    model.inputCount === 1 && model.outputCount === 1
      ? `def main():
    keras.utils.set_random_seed(SEED)
    x, y = load_data()
    x = x.astype(${pythonString(model.inputDtype)})

    model = build_model()
    compile_model(model)
    model.summary()
    y = prepare_labels(y, model.output_shape[-1])

    train, validation, test = split_indices(len(x))
${earlyStoppingLines(training)}
    model.fit(
        x[train],
        y[train],
        validation_data=(x[validation], y[validation]) if len(validation) else None,
        epochs=EPOCHS,
        batch_size=BATCH_SIZE,
        shuffle=True,
        callbacks=callbacks,
    )
    if len(test):
        model.evaluate(x[test], y[test], batch_size=BATCH_SIZE)
    model.save(f"{model.name}.keras")`
      : `def main():
    # A data file holds one features array and one labels array, but this model has
    # ${model.inputCount} inputs and ${model.outputCount} outputs; pass lists of arrays to model.fit instead.
    raise SystemExit("This model has ${model.inputCount} inputs and ${model.outputCount} outputs; load its data and call model.fit yourself")`;

  return `${compile}\n\n\n${prepareLabels(training.loss)}\n\n\n${main}\n\n\nif __name__ == "__main__":\n    main()`;
}

"""Differently written CORRECT submissions: each must get full marks (tests/test_corpora.py).

Every variant is truly correct per /work/shared/CONTRACT.md: dtype preserving (float32 in,
float32 out; int/bool in, float64 out), the documented shapes (0-d and empty included),
inputs never modified, and finite and accurate at |z| up to 1e4 and at the dtype limits.
Only the way of writing it differs from ``solutions/``.
"""

from make_corpus import Variant

VARIANTS: list[Variant] = []


def variant(name, description, changes, helpers=None):
    VARIANTS.append(Variant(name, description, changes, helpers or {}))


# ---------------------------------------------------------------------------------------------
variant(
    "c01_lecture_identities",
    "The lecture's identities: tanh = 2σ(2z) - 1, σ'(z) = σ(z)·σ(-z), the slide's ELU/SELU "
    "derivative α(e^z - 1) + α written through elu, swish' factored as σ(1 + βz(1 - σ)); "
    "gaussian_nll in torch's form ½log var + ½(x-y)²/var + ½log 2π; r2 with SS_tot = N·var(y).",
    {
        "activations": {
            "tanh": '''
                def tanh(z: ArrayLike) -> np.ndarray:
                    """tanh(z) = 2σ(2z) - 1 (the lecture's identity), with the stable sigmoid."""
                    z = _as_float(z)
                    return np.asarray(2 * sigmoid(2 * z) - 1)
            ''',
            "sigmoid_grad": '''
                def sigmoid_grad(z: ArrayLike) -> np.ndarray:
                    """σ'(z) = σ(z)·(1 - σ(z)) = σ(z)·σ(-z)."""
                    z = _as_float(z)
                    return np.asarray(sigmoid(z) * sigmoid(-z))
            ''',
            "elu_grad": '''
                def elu_grad(z: ArrayLike, alpha: float = 1.0) -> np.ndarray:
                    """The slide's form: α(e^z - 1) + α = elu(z) + α for z ≤ 0, 1 for z > 0."""
                    z = _as_float(z)
                    return np.where(z > 0, 1, elu(z, alpha) + alpha)
            ''',
            "selu_grad": '''
                def selu_grad(z: ArrayLike) -> np.ndarray:
                    """λ·(α(e^z - 1) + α) for z ≤ 0, λ for z > 0."""
                    z = _as_float(z)
                    return np.asarray(SELU_LAMBDA * np.where(z > 0, 1, elu(z, SELU_ALPHA) + SELU_ALPHA))
            ''',
            "swish_grad": '''
                def swish_grad(z: ArrayLike, beta: float = 1.0) -> np.ndarray:
                    """σ(βz) + βz·σ(βz)(1 - σ(βz)) = σ(βz)·(1 + βz·σ(-βz))."""
                    z = _as_float(z)
                    bz = beta * z
                    return np.asarray(sigmoid(bz) * (1 + bz * sigmoid(-bz)))
            ''',
        },
        "losses": {
            "gaussian_nll": '''
                def gaussian_nll(input: ArrayLike, target: ArrayLike, var: ArrayLike = 1.0,
                                 reduction: str = "mean") -> np.ndarray:
                    """torch's full GaussianNLLLoss: ½·(log var + (x - y)²/var) + ½·log 2π."""
                    x = _as_float(input)
                    y = np.asarray(target).astype(x.dtype)
                    var = np.asarray(var).astype(x.dtype)
                    half_log_2pi = float(np.log(2 * np.pi)) / 2  # a Python float keeps float32 float32
                    loss = 0.5 * (np.log(var) + (x - y) ** 2 / var) + half_log_2pi
                    return _reduce(loss, reduction)
            ''',
        },
        "metrics": {
            "r2_score": '''
                def r2_score(y_true: ArrayLike, y_pred: ArrayLike) -> np.floating:
                    """1 - SS_res/SS_tot with SS_tot = N·var(y_true); constant y_true as sklearn."""
                    y_true, y_pred = _as_float(y_true), _as_float(y_pred)
                    ss_res = np.sum((y_true - y_pred) ** 2)
                    ss_tot = y_true.size * np.var(y_true)
                    if ss_tot == 0:
                        return y_true.dtype.type(1.0 if ss_res == 0 else 0.0)
                    return 1 - ss_res / ss_tot
            ''',
        },
    },
)

# ---------------------------------------------------------------------------------------------
variant(
    "c02_sigmoid_via_tanh",
    "σ(z) = (1 + tanh(z/2))/2 everywhere a sigmoid is needed (activations and "
    "bce_with_logits_grad), σ'(z) = (1 - tanh²(z/2))/4; bce_with_logits through np.logaddexp; "
    "precision, recall and F-beta computed from the confusion matrix.",
    {
        "activations": {
            "sigmoid": '''
                def sigmoid(z: ArrayLike) -> np.ndarray:
                    """σ(z) = (1 + tanh(z/2)) / 2: np.tanh never overflows."""
                    z = _as_float(z)
                    return np.asarray((1 + np.tanh(z / 2)) / 2)
            ''',
            "sigmoid_grad": '''
                def sigmoid_grad(z: ArrayLike) -> np.ndarray:
                    """σ'(z) = (1 - tanh²(z/2)) / 4."""
                    t = np.tanh(_as_float(z) / 2)
                    return np.asarray((1 - t * t) / 4)
            ''',
            "softplus_grad": '''
                def softplus_grad(z: ArrayLike, beta: float = 1.0, threshold: float = 20.0) -> np.ndarray:
                    """σ(βz) = (1 + tanh(βz/2))/2, and 1 where βz > threshold."""
                    z = _as_float(z)
                    bz = beta * z
                    return np.where(bz > threshold, 1, (1 + np.tanh(bz / 2)) / 2)
            ''',
        },
        "losses": {
            "bce_with_logits": '''
                def bce_with_logits(input: ArrayLike, target: ArrayLike, pos_weight: ArrayLike | None = None,
                                    reduction: str = "mean") -> np.ndarray:
                    """-ln σ(x) = logaddexp(0, -x) and -ln(1 - σ(x)) = logaddexp(0, x): never overflows."""
                    x = _as_float(input)
                    y = np.asarray(target).astype(x.dtype)
                    w = 1 if pos_weight is None else np.asarray(pos_weight).astype(x.dtype)
                    loss = w * y * np.logaddexp(0, -x) + (1 - y) * np.logaddexp(0, x)
                    return _reduce(loss, reduction)
            ''',
            "bce_with_logits_grad": '''
                def bce_with_logits_grad(input: ArrayLike, target: ArrayLike, pos_weight: ArrayLike | None = None,
                                         reduction: str = "mean") -> np.ndarray:
                    """σ(x)·(w·y + 1 - y) - w·y, with σ through tanh; 1/N for 'mean'."""
                    _check_reduction(reduction)
                    x = _as_float(input)
                    y = np.asarray(target).astype(x.dtype)
                    w = 1 if pos_weight is None else np.asarray(pos_weight).astype(x.dtype)
                    sig = (1 + np.tanh(x / 2)) / 2
                    grad = sig * (w * y + 1 - y) - w * y
                    if reduction == "mean":
                        grad = grad / grad.size
                    return np.asarray(grad)
            ''',
        },
        "metrics": {
            "precision_score": '''
                def precision_score(y_true: ArrayLike, y_pred: ArrayLike, average: str = "binary",
                                    pos_label: int | str = 1, zero_division: float = 0.0) -> np.floating:
                    """Precision from the confusion matrix: diagonal over column sums."""
                    tp, fp, fn = _cm_counts(y_true, y_pred, average, pos_label)
                    return _cm_average(tp, tp + fp, tp + fn, average, zero_division)
            ''',
            "recall_score": '''
                def recall_score(y_true: ArrayLike, y_pred: ArrayLike, average: str = "binary",
                                 pos_label: int | str = 1, zero_division: float = 0.0) -> np.floating:
                    """Recall from the confusion matrix: diagonal over row sums."""
                    tp, fp, fn = _cm_counts(y_true, y_pred, average, pos_label)
                    return _cm_average(tp, tp + fn, tp + fn, average, zero_division)
            ''',
            "fbeta_score": '''
                def fbeta_score(y_true: ArrayLike, y_pred: ArrayLike, beta: float, average: str = "binary",
                                pos_label: int | str = 1, zero_division: float = 0.0) -> np.floating:
                    """(1 + β²)·TP / ((1 + β²)·TP + β²·FN + FP) per class, from the confusion matrix."""
                    tp, fp, fn = _cm_counts(y_true, y_pred, average, pos_label)
                    b2 = beta * beta
                    return _cm_average((1 + b2) * tp, (1 + b2) * tp + b2 * fn + fp, tp + fn, average,
                                       zero_division)
            ''',
        },
    },
    helpers={
        "metrics": '''
            def _cm_counts(y_true, y_pred, average, pos_label):
                """(TP, FP, FN) per class read off the confusion matrix, as float arrays."""
                y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
                labels = np.union1d(y_true, y_pred)
                cm = confusion_matrix(y_true, y_pred, labels=labels).astype(np.float64)
                tp = np.diag(cm)
                fp = cm.sum(axis=0) - tp
                fn = cm.sum(axis=1) - tp
                if average == "binary":
                    if len(labels) > 2 or (len(labels) == 2 and pos_label not in labels):
                        raise ValueError(f"average='binary' needs at most two labels, got {labels.tolist()}")
                    where = np.flatnonzero(labels == pos_label)
                    if len(where) == 0:  # pos_label absent from both: nothing counted
                        return np.zeros(1), np.zeros(1), np.zeros(1)
                    return tp[where], fp[where], fn[where]
                if average not in ("micro", "macro", "weighted"):
                    raise ValueError(f"unknown average {average!r}")
                return tp, fp, fn


            def _cm_average(numerator, denominator, support, average, zero_division):
                if average == "micro":
                    numerator, denominator = numerator.sum(keepdims=True), denominator.sum(keepdims=True)
                safe = np.where(denominator > 0, denominator, 1)
                ratio = np.where(denominator > 0, numerator / safe, zero_division)
                keep = ~np.isnan(ratio)  # zero_division=nan: sklearn leaves those classes out
                if not keep.any():
                    return np.float64(np.nan)
                if average == "weighted" and support[keep].sum() > 0:
                    return np.float64(np.sum(ratio[keep] * support[keep]) / support[keep].sum())
                return np.float64(ratio[keep].mean())
        ''',
    },
)

# ---------------------------------------------------------------------------------------------
variant(
    "c03_python_loops",
    "Python loops: elementwise activations over np.ndindex (0-d and empty included) with one "
    "branch per element, tanh' over the flat indices, swish through np.nditer, softmax/log_softmax one row at a time after np.moveaxis, mse_loss and "
    "the regression metrics accumulated in a float64 loop, confusion_matrix and accuracy "
    "counted sample by sample.",
    {
        "activations": {
            "sigmoid": '''
                def sigmoid(z: ArrayLike) -> np.ndarray:
                    """One element at a time, exponentiating only non-positive numbers."""
                    z = _as_float(z)
                    out = np.empty_like(z)
                    for index in np.ndindex(z.shape):
                        v = z[index]
                        if v >= 0:
                            out[index] = 1 / (1 + np.exp(-v))
                        else:
                            e = np.exp(v)
                            out[index] = e / (1 + e)
                    return out
            ''',
            "relu": '''
                def relu(z: ArrayLike) -> np.ndarray:
                    z = _as_float(z)
                    out = np.empty_like(z)
                    for index in np.ndindex(z.shape):
                        out[index] = z[index] if z[index] > 0 else 0
                    return out
            ''',
            "relu_grad": '''
                def relu_grad(z: ArrayLike) -> np.ndarray:
                    z = _as_float(z)
                    out = np.empty_like(z)
                    for index in np.ndindex(z.shape):
                        out[index] = 1 if z[index] > 0 else 0
                    return out
            ''',
            "leaky_relu": '''
                def leaky_relu(z: ArrayLike, alpha: float = 0.01) -> np.ndarray:
                    z = _as_float(z)
                    out = np.empty_like(z)
                    for index in np.ndindex(z.shape):
                        v = z[index]
                        out[index] = v if v > 0 else alpha * v
                    return out
            ''',
            "leaky_relu_grad": '''
                def leaky_relu_grad(z: ArrayLike, alpha: float = 0.01) -> np.ndarray:
                    z = _as_float(z)
                    out = np.empty_like(z)
                    for index in np.ndindex(z.shape):
                        out[index] = 1 if z[index] > 0 else alpha
                    return out
            ''',
            "elu": '''
                def elu(z: ArrayLike, alpha: float = 1.0) -> np.ndarray:
                    z = _as_float(z)
                    out = np.empty_like(z)
                    for index in np.ndindex(z.shape):
                        v = z[index]
                        out[index] = v if v > 0 else alpha * np.expm1(v)
                    return out
            ''',
            "elu_grad": '''
                def elu_grad(z: ArrayLike, alpha: float = 1.0) -> np.ndarray:
                    z = _as_float(z)
                    out = np.empty_like(z)
                    for index in np.ndindex(z.shape):
                        v = z[index]
                        out[index] = 1 if v > 0 else alpha * np.exp(v)
                    return out
            ''',
            "softplus": '''
                def softplus(z: ArrayLike, beta: float = 1.0, threshold: float = 20.0) -> np.ndarray:
                    z = _as_float(z)
                    out = np.empty_like(z)
                    for index in np.ndindex(z.shape):
                        v = z[index]
                        t = beta * v
                        if t > threshold:
                            out[index] = v
                        elif t > 0:
                            out[index] = (t + np.log1p(np.exp(-t))) / beta
                        else:
                            out[index] = np.log1p(np.exp(t)) / beta
                    return out
            ''',
            "tanh_grad": '''
                def tanh_grad(z: ArrayLike) -> np.ndarray:
                    """Over the flat indices: out.flat[i] = 1 - tanh(z.flat[i])²."""
                    z = _as_float(z)
                    out = np.empty_like(z)
                    for i, v in enumerate(z.flat):
                        t = np.tanh(v)
                        out.flat[i] = 1 - t * t
                    return out
            ''',
            "swish": '''
                def swish(z: ArrayLike, beta: float = 1.0) -> np.ndarray:
                    """np.nditer with an allocated output operand (same dtype and shape as z)."""
                    z = _as_float(z)
                    it = np.nditer([z, None], flags=["zerosize_ok"],
                                   op_flags=[["readonly"], ["writeonly", "allocate"]])
                    with it:
                        for v, out in it:
                            t = beta * v
                            if t >= 0:
                                out[...] = v / (1 + np.exp(-t))
                            else:
                                e = np.exp(t)
                                out[...] = v * e / (1 + e)
                        return it.operands[1]
            ''',
            "softmax": '''
                def softmax(z: ArrayLike, axis: int = -1) -> np.ndarray:
                    """One row at a time: the layer's axis is moved last and the rest flattened."""
                    z = _as_float(z)
                    moved = np.moveaxis(z, axis, -1)
                    rows = moved.reshape(-1, moved.shape[-1]) if moved.size else moved.reshape(0, 0)
                    out = np.empty_like(rows)
                    for i, row in enumerate(rows):
                        e = np.exp(row - row.max())
                        out[i] = e / e.sum()
                    return np.moveaxis(out.reshape(moved.shape), -1, axis)
            ''',
            "log_softmax": '''
                def log_softmax(z: ArrayLike, axis: int = -1) -> np.ndarray:
                    z = _as_float(z)
                    moved = np.moveaxis(z, axis, -1)
                    rows = moved.reshape(-1, moved.shape[-1]) if moved.size else moved.reshape(0, 0)
                    out = np.empty_like(rows)
                    for i, row in enumerate(rows):
                        with np.errstate(over="ignore"):
                            shifted = row - row.max()
                        out[i] = shifted - np.log(np.exp(shifted).sum())
                    return np.moveaxis(out.reshape(moved.shape), -1, axis)
            ''',
        },
        "losses": {
            "mse_loss": '''
                def mse_loss(input: ArrayLike, target: ArrayLike, reduction: str = "mean") -> np.ndarray:
                    """Squared errors one element at a time; the reduction accumulates in float64."""
                    _check_reduction(reduction)
                    x = _as_float(input)
                    y = np.asarray(target).astype(x.dtype)
                    x, y = np.broadcast_arrays(x, y)
                    squares = np.empty(x.shape, dtype=x.dtype)
                    total = 0.0
                    for index in np.ndindex(x.shape):
                        d = x[index] - y[index]
                        squares[index] = d * d
                        total += float(d) * float(d)
                    if reduction == "none":
                        return squares
                    if reduction == "sum":
                        return np.asarray(total, dtype=x.dtype)
                    return np.asarray(total / x.size if x.size else np.nan, dtype=x.dtype)
            ''',
        },
        "metrics": {
            "mean_squared_error": '''
                def mean_squared_error(y_true: ArrayLike, y_pred: ArrayLike) -> np.floating:
                    y_true, y_pred = _as_float(y_true), _as_float(y_pred)
                    total = 0.0
                    for t, p in zip(y_true.tolist(), y_pred.tolist()):
                        total += (p - t) ** 2
                    return y_true.dtype.type(total / len(y_true) if len(y_true) else np.nan)
            ''',
            "mean_absolute_error": '''
                def mean_absolute_error(y_true: ArrayLike, y_pred: ArrayLike) -> np.floating:
                    y_true, y_pred = _as_float(y_true), _as_float(y_pred)
                    total = 0.0
                    for t, p in zip(y_true.tolist(), y_pred.tolist()):
                        total += abs(p - t)
                    return y_true.dtype.type(total / len(y_true) if len(y_true) else np.nan)
            ''',
            "accuracy_score": '''
                def accuracy_score(y_true: ArrayLike, y_pred: ArrayLike) -> np.floating:
                    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
                    hits = 0
                    for t, p in zip(y_true, y_pred):
                        hits += bool(t == p)
                    return np.float64(hits / len(y_true)) if len(y_true) else np.float64(np.nan)
            ''',
            "confusion_matrix": '''
                def confusion_matrix(y_true: ArrayLike, y_pred: ArrayLike, labels: ArrayLike | None = None) -> np.ndarray:
                    """Counted sample by sample through a label -> index table."""
                    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
                    if labels is None:
                        labels = np.unique(np.concatenate([y_true, y_pred]))
                    labels = np.asarray(labels)
                    index = {}
                    for i, label in enumerate(labels.tolist()):
                        index.setdefault(label, i)
                    cm = np.zeros((len(labels), len(labels)), dtype=np.int64)
                    for t, p in zip(y_true.tolist(), y_pred.tolist()):
                        if t in index and p in index:
                            cm[index[t], index[p]] += 1
                    return cm
            ''',
        },
    },
)

# ---------------------------------------------------------------------------------------------
variant(
    "c04_boolean_masks",
    "Boolean masks instead of np.where/np.maximum: copy, then overwrite the masked elements "
    "(ReLU family, ELU, SELU, softplus and their derivatives); bce_loss with the log clamp as "
    "np.clip(np.log(p), -100, None) and ln(1 - p) as np.log(1 - p); accuracy via "
    "np.count_nonzero and MSE via np.dot.",
    {
        "activations": {
            "relu": '''
                def relu(z: ArrayLike) -> np.ndarray:
                    out = np.array(z, dtype=_as_float(z).dtype)  # a copy, floating
                    out[out < 0] = 0
                    return out
            ''',
            "relu_grad": '''
                def relu_grad(z: ArrayLike) -> np.ndarray:
                    z = _as_float(z)
                    out = np.zeros_like(z)
                    out[z > 0] = 1
                    return out
            ''',
            "leaky_relu": '''
                def leaky_relu(z: ArrayLike, alpha: float = 0.01) -> np.ndarray:
                    z = _as_float(z)
                    out = z.copy()
                    negative = z <= 0
                    out[negative] = alpha * z[negative]
                    return out
            ''',
            "leaky_relu_grad": '''
                def leaky_relu_grad(z: ArrayLike, alpha: float = 0.01) -> np.ndarray:
                    z = _as_float(z)
                    out = np.full_like(z, alpha)
                    out[z > 0] = 1
                    return out
            ''',
            "elu": '''
                def elu(z: ArrayLike, alpha: float = 1.0) -> np.ndarray:
                    z = _as_float(z)
                    out = z.copy()
                    negative = z <= 0
                    out[negative] = alpha * np.expm1(z[negative])  # only z ≤ 0 is exponentiated
                    return out
            ''',
            "elu_grad": '''
                def elu_grad(z: ArrayLike, alpha: float = 1.0) -> np.ndarray:
                    z = _as_float(z)
                    out = np.ones_like(z)
                    negative = z <= 0
                    out[negative] = alpha * np.exp(z[negative])
                    return out
            ''',
            "selu": '''
                def selu(z: ArrayLike) -> np.ndarray:
                    z = _as_float(z)
                    out = np.array(SELU_LAMBDA * z)  # np.array: a 0-d input must stay an array
                    negative = z <= 0
                    out[negative] = SELU_LAMBDA * SELU_ALPHA * np.expm1(z[negative])
                    return np.asarray(out)
            ''',
            "selu_grad": '''
                def selu_grad(z: ArrayLike) -> np.ndarray:
                    z = _as_float(z)
                    out = np.full_like(z, SELU_LAMBDA)
                    negative = z <= 0
                    out[negative] = SELU_LAMBDA * SELU_ALPHA * np.exp(z[negative])
                    return out
            ''',
            "softplus": '''
                def softplus(z: ArrayLike, beta: float = 1.0, threshold: float = 20.0) -> np.ndarray:
                    z = _as_float(z)
                    bz = np.asarray(beta * z)
                    out = z.copy()  # the linear branch
                    smooth = ~(bz > threshold)
                    t = bz[smooth]
                    out[smooth] = (np.maximum(t, 0) + np.log1p(np.exp(-np.abs(t)))) / beta
                    return out
            ''',
            "softplus_grad": '''
                def softplus_grad(z: ArrayLike, beta: float = 1.0, threshold: float = 20.0) -> np.ndarray:
                    z = _as_float(z)
                    bz = np.asarray(beta * z)
                    out = np.ones_like(z)
                    smooth = ~(bz > threshold)
                    out[smooth] = sigmoid(bz[smooth])
                    return out
            ''',
        },
        "losses": {
            "bce_loss": '''
                def bce_loss(input: ArrayLike, target: ArrayLike, reduction: str = "mean") -> np.ndarray:
                    """Each log clamped with np.clip(..., -100, None); log(0) = -inf is expected."""
                    p = _as_float(input)
                    y = np.asarray(target).astype(p.dtype)
                    with np.errstate(divide="ignore"):
                        log_p = np.clip(np.log(p), -100, None)
                        log_1mp = np.clip(np.log(1 - p), -100, None)
                    return _reduce(-(y * log_p + (1 - y) * log_1mp), reduction)
            ''',
        },
        "metrics": {
            "accuracy_score": '''
                def accuracy_score(y_true: ArrayLike, y_pred: ArrayLike) -> np.floating:
                    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
                    with np.errstate(invalid="ignore", divide="ignore"):
                        return np.float64(np.count_nonzero(y_true == y_pred)) / np.float64(y_true.size)
            ''',
            "mean_squared_error": '''
                def mean_squared_error(y_true: ArrayLike, y_pred: ArrayLike) -> np.floating:
                    y_true, y_pred = _as_float(y_true), _as_float(y_pred)
                    d = y_pred - y_true
                    with np.errstate(invalid="ignore", divide="ignore"):
                        return np.dot(d, d) / y_true.dtype.type(d.size)
            ''',
        },
    },
)

# ---------------------------------------------------------------------------------------------
variant(
    "c05_logaddexp",
    "Everything through np.logaddexp: softplus = logaddexp(0, βz)/β, σ(z) = exp(-logaddexp(0, -z)), "
    "log_softmax = (z - max) - logaddexp.reduce(z - max), softmax = exp(log_softmax), swish = z·σ(βz) with that "
    "σ; cross_entropy's log-softmax with the same log-sum-exp.",
    {
        "activations": {
            "sigmoid": '''
                def sigmoid(z: ArrayLike) -> np.ndarray:
                    """σ(z) = exp(-ln(1 + e^-z)) = exp(-logaddexp(0, -z))."""
                    z = _as_float(z)
                    return np.asarray(np.exp(-np.logaddexp(0, -z)))
            ''',
            "softplus": '''
                def softplus(z: ArrayLike, beta: float = 1.0, threshold: float = 20.0) -> np.ndarray:
                    """ln(1 + e^(βz))/β = logaddexp(0, βz)/β, and z above the threshold."""
                    z = _as_float(z)
                    bz = beta * z
                    return np.where(bz > threshold, z, np.logaddexp(0, bz) / beta)
            ''',
            "swish": '''
                def swish(z: ArrayLike, beta: float = 1.0) -> np.ndarray:
                    z = _as_float(z)
                    return np.asarray(z * np.exp(-np.logaddexp(0, -beta * z)))
            ''',
            "log_softmax": '''
                def log_softmax(z: ArrayLike, axis: int = -1) -> np.ndarray:
                    """(z - m) - logsumexp(z - m): the log-sum-exp as a logaddexp reduction of the
                    max-shifted logits (the shift keeps float32 accurate at |z| ~ 1e4)."""
                    z = _as_float(z)
                    if z.size == 0:
                        return z.copy()
                    with np.errstate(over="ignore"):
                        shifted = z - np.max(z, axis=axis, keepdims=True)
                    return np.asarray(shifted - np.logaddexp.reduce(shifted, axis=axis, keepdims=True))
            ''',
            "softmax": '''
                def softmax(z: ArrayLike, axis: int = -1) -> np.ndarray:
                    """softmax = exp(log_softmax)."""
                    return np.asarray(np.exp(log_softmax(z, axis=axis)))
            ''',
        },
        "losses": {
            "_log_softmax": '''
                def _log_softmax(x: np.ndarray) -> np.ndarray:
                    with np.errstate(over="ignore"):
                        shifted = x - np.max(x, axis=-1, keepdims=True)
                    return shifted - np.logaddexp.reduce(shifted, axis=-1, keepdims=True)
            ''',
        },
    },
)

# ---------------------------------------------------------------------------------------------
variant(
    "c06_result_type_and_numpy_scalars",
    "Float conversion through np.result_type(x, 1.0) and astype(copy=False) instead of "
    "issubdtype checks; reductions return numpy scalars (np.mean/np.sum without np.asarray) "
    "instead of 0-d arrays, as the contract allows; metrics return dtype.type(...) scalars.",
    {
        "activations": {
            "_as_float": '''
                def _as_float(x: ArrayLike) -> np.ndarray:
                    """result_type(x, 1.0): float dtypes stay, ints and bools promote to float64."""
                    x = np.asarray(x)
                    return x.astype(np.result_type(x, 1.0), copy=False)
            ''',
        },
        "losses": {
            "_as_float": '''
                def _as_float(x: ArrayLike) -> np.ndarray:
                    x = np.asarray(x)
                    return x.astype(np.result_type(x, 1.0), copy=False)
            ''',
            "_reduce": '''
                def _reduce(loss: np.ndarray, reduction: str):
                    """np.mean / np.sum give numpy scalars: fine for a reduction (CONTRACT.md)."""
                    _check_reduction(reduction)
                    if reduction == "mean":
                        return np.mean(loss)
                    if reduction == "sum":
                        return np.sum(loss)
                    return np.asarray(loss)
            ''',
        },
        "metrics": {
            "_as_float": '''
                def _as_float(x: ArrayLike) -> np.ndarray:
                    x = np.asarray(x)
                    return x.astype(np.result_type(x, 1.0), copy=False)
            ''',
            "r2_score": '''
                def r2_score(y_true: ArrayLike, y_pred: ArrayLike) -> np.floating:
                    y_true, y_pred = _as_float(y_true), _as_float(y_pred)
                    one = y_true.dtype.type(1)
                    ss_res = np.sum(np.square(y_true - y_pred))
                    ss_tot = np.sum(np.square(y_true - y_true.mean()))
                    if not ss_tot:
                        return one if not ss_res else one - one
                    return one - ss_res / ss_tot
            ''',
            "accuracy_score": '''
                def accuracy_score(y_true: ArrayLike, y_pred: ArrayLike) -> np.floating:
                    return np.float64(np.mean(np.asarray(y_true) == np.asarray(y_pred)))
            ''',
        },
    },
)

# ---------------------------------------------------------------------------------------------
variant(
    "c07_onehot_and_fancy_indexing",
    "cross_entropy builds a one-hot matrix for class-index targets (np.arange(C) == target[:, None]) "
    "and keeps only those log-probabilities; cross_entropy_grad subtracts 1 at the true class by "
    "fancy indexing on a copy of the softmax; softmax_jacobian through np.einsum.",
    {
        "losses": {
            "cross_entropy": '''
                def cross_entropy(input: ArrayLike, target: ArrayLike, reduction: str = "mean") -> np.ndarray:
                    """-Σ_c t_c·log_softmax(x)_c with a one-hot t for class indices."""
                    x = _as_float(input)
                    target = np.asarray(target)
                    log_p = _log_softmax(x)
                    if target.ndim == x.ndim - 1:
                        onehot = np.arange(x.shape[-1]) == target[:, None]
                        loss = -np.sum(np.where(onehot, log_p, 0), axis=-1)  # 0 off the class, never 0·(-inf)
                    else:
                        loss = -np.sum(target.astype(x.dtype) * log_p, axis=-1)
                    return _reduce(loss, reduction)
            ''',
            "cross_entropy_grad": '''
                def cross_entropy_grad(input: ArrayLike, target: ArrayLike, reduction: str = "mean") -> np.ndarray:
                    """softmax(x) - onehot, by fancy indexing; probability targets: softmax·Σt - t."""
                    _check_reduction(reduction)
                    x = _as_float(input)
                    target = np.asarray(target)
                    with np.errstate(over="ignore"):
                        shifted = x - np.max(x, axis=-1, keepdims=True) if x.size else x
                    e = np.exp(shifted)
                    p = e / np.sum(e, axis=-1, keepdims=True)
                    if target.ndim == x.ndim - 1:
                        grad = p.copy()
                        grad[np.arange(len(target)), target] -= 1
                    else:
                        t = target.astype(x.dtype)
                        grad = p * np.sum(t, axis=-1, keepdims=True) - t
                    if reduction == "mean":
                        grad = grad / len(x)
                    return np.asarray(grad)
            ''',
        },
        "activations": {
            "softmax_jacobian": '''
                def softmax_jacobian(z: ArrayLike) -> np.ndarray:
                    """J = diag(s) - s sᵀ, the outer product by einsum."""
                    s = softmax(z, axis=-1)
                    eye = np.eye(s.shape[-1], dtype=s.dtype)
                    return np.einsum("...i,ij->...ij", s, eye) - np.einsum("...i,...j->...ij", s, s)
            ''',
        },
    },
)

# ---------------------------------------------------------------------------------------------
variant(
    "c08_confusion_matrix_metrics",
    "Every classification metric from the confusion matrix, built with np.unique(return_inverse) "
    "and np.add.at; precision/recall/F-beta per class from its diagonal and row/column sums, "
    "'weighted' with np.average; f1_score written out as 2·TP / (2·TP + FP + FN).",
    {
        "metrics": {
            "confusion_matrix": '''
                def confusion_matrix(y_true: ArrayLike, y_pred: ArrayLike, labels: ArrayLike | None = None) -> np.ndarray:
                    """np.add.at on (true index, predicted index) pairs."""
                    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
                    if labels is None:
                        labels, codes = np.unique(np.concatenate([y_true, y_pred]), return_inverse=True)
                        rows, cols = codes[:len(y_true)], codes[len(y_true):]
                        cm = np.zeros((len(labels), len(labels)), dtype=np.int64)
                        np.add.at(cm, (rows, cols), 1)
                        return cm
                    labels = np.asarray(labels)
                    if len(labels) == 0:
                        return np.zeros((0, 0), dtype=np.int64)
                    is_true = y_true[:, None] == labels[None, :]
                    is_pred = y_pred[:, None] == labels[None, :]
                    keep = is_true.any(axis=1) & is_pred.any(axis=1)  # samples with listed labels only
                    cm = np.zeros((len(labels), len(labels)), dtype=np.int64)
                    np.add.at(cm, (is_true[keep].argmax(axis=1), is_pred[keep].argmax(axis=1)), 1)
                    return cm
            ''',
            "_class_counts": '''
                def _class_counts(y_true, y_pred, average, pos_label):
                    """TP, FP, FN per class from the confusion matrix."""
                    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
                    classes = np.union1d(y_true, y_pred)
                    cm = confusion_matrix(y_true, y_pred, labels=classes)
                    tp = np.diag(cm)
                    fp, fn = cm.sum(axis=0) - tp, cm.sum(axis=1) - tp
                    if average == "binary":
                        if len(classes) > 2 or (len(classes) == 2 and pos_label not in classes):
                            raise ValueError(f"average='binary' needs two labels with pos_label, got {classes.tolist()}")
                        k = np.flatnonzero(classes == pos_label)
                        if k.size == 0:
                            return np.zeros(1, np.int64), np.zeros(1, np.int64), np.zeros(1, np.int64)
                        return tp[k], fp[k], fn[k]
                    if average not in ("micro", "macro", "weighted"):
                        raise ValueError(f"average must be 'binary', 'micro', 'macro' or 'weighted', got {average!r}")
                    return tp, fp, fn
            ''',
            "_average": '''
                def _average(numerator, denominator, support, average, zero_division):
                    if average == "micro":
                        numerator, denominator = np.sum(numerator), np.sum(denominator)
                    numerator = np.asarray(numerator, dtype=np.float64)
                    denominator = np.asarray(denominator, dtype=np.float64)
                    ratio = np.full(numerator.shape, float(zero_division))
                    np.divide(numerator, denominator, out=ratio, where=denominator > 0)
                    ratio, support = np.atleast_1d(ratio), np.atleast_1d(support)
                    kept = ~np.isnan(ratio)  # zero_division=nan: those classes are not averaged
                    if not kept.any():
                        return np.float64(np.nan)
                    if average == "weighted" and np.sum(support[kept]) > 0:
                        return np.float64(np.average(ratio[kept], weights=support[kept]))
                    return np.float64(np.mean(ratio[kept]))
            ''',
            "f1_score": '''
                def f1_score(y_true: ArrayLike, y_pred: ArrayLike, average: str = "binary",
                             pos_label: int | str = 1, zero_division: float = 0.0) -> np.floating:
                    """Per class F1 = 2·TP / (2·TP + FP + FN), averaged as the other scores."""
                    tp, fp, fn = _class_counts(y_true, y_pred, average, pos_label)
                    return _average(2 * tp, 2 * tp + fp + fn, tp + fn, average, zero_division)
            ''',
        },
    },
)

# ---------------------------------------------------------------------------------------------
variant(
    "c09_sum_over_size",
    "Means written as sums over sizes (np.add.reduce(x) / x.size) in _reduce, the gradients' 1/N and "
    "the regression metrics; float conversion with astype(float) on non-float input; softmax "
    "normalised by multiplying with the reciprocal of the row sums.",
    {
        "activations": {
            "softmax": '''
                def softmax(z: ArrayLike, axis: int = -1) -> np.ndarray:
                    z = np.asarray(z)
                    if z.dtype.kind != "f":
                        z = z.astype(float)
                    if z.size == 0:
                        return z.copy()
                    with np.errstate(over="ignore"):
                        e = np.exp(z - z.max(axis=axis, keepdims=True))
                    return e * (1 / np.add.reduce(e, axis=axis, keepdims=True))
            ''',
        },
        "losses": {
            "_reduce": '''
                def _reduce(loss: np.ndarray, reduction: str) -> np.ndarray:
                    """The mean as sum / size."""
                    _check_reduction(reduction)
                    loss = np.asarray(loss)
                    if reduction == "none":
                        return loss
                    total = np.add.reduce(loss, axis=None)
                    if reduction == "sum":
                        return np.asarray(total)
                    with np.errstate(invalid="ignore", divide="ignore"):
                        return np.asarray(total / loss.dtype.type(loss.size))
            ''',
            "mse_loss_grad": '''
                def mse_loss_grad(input: ArrayLike, target: ArrayLike, reduction: str = "mean") -> np.ndarray:
                    _check_reduction(reduction)
                    x = np.asarray(input)
                    if x.dtype.kind != "f":
                        x = x.astype(float)
                    d = x - np.asarray(target).astype(x.dtype)
                    if reduction == "mean":
                        return np.asarray((2 / d.size) * d if d.size else 2 * d)
                    return np.asarray(d + d)
            ''',
        },
        "metrics": {
            "mean_squared_error": '''
                def mean_squared_error(y_true: ArrayLike, y_pred: ArrayLike) -> np.floating:
                    y_true, y_pred = _as_float(y_true), _as_float(y_pred)
                    squares = (y_pred - y_true) ** 2
                    with np.errstate(invalid="ignore", divide="ignore"):
                        return np.add.reduce(squares) / squares.dtype.type(squares.size)
            ''',
            "mean_absolute_error": '''
                def mean_absolute_error(y_true: ArrayLike, y_pred: ArrayLike) -> np.floating:
                    y_true, y_pred = _as_float(y_true), _as_float(y_pred)
                    errors = np.abs(y_pred - y_true)
                    with np.errstate(invalid="ignore", divide="ignore"):
                        return np.add.reduce(errors) / errors.dtype.type(errors.size)
            ''',
            "accuracy_score": '''
                def accuracy_score(y_true: ArrayLike, y_pred: ArrayLike) -> np.floating:
                    hits = np.asarray(y_true) == np.asarray(y_pred)
                    with np.errstate(invalid="ignore", divide="ignore"):
                        return np.add.reduce(hits, dtype=np.float64) / np.float64(hits.size)
            ''',
        },
    },
)

# ---------------------------------------------------------------------------------------------
variant(
    "c10_guarded_naive_formulas",
    "The textbook formulas with the overflow silenced where its inf is harmless: σ(z) = 1/(1 + e^-z) "
    "and swish = z/(1 + e^-βz) under np.errstate(over='ignore') (e^-z = inf gives exactly 0); tanh "
    "as sign(z)·(1 - e^-2|z|)/(1 + e^-2|z|) with expm1; ELU/SELU as α(e^min(z,0) - 1).",
    {
        "activations": {
            "sigmoid": '''
                def sigmoid(z: ArrayLike) -> np.ndarray:
                    """1/(1 + e^-z): for z < -709, e^-z = inf and 1/inf = 0, the right limit."""
                    z = _as_float(z)
                    with np.errstate(over="ignore"):
                        return np.asarray(1 / (1 + np.exp(-z)))
            ''',
            "swish": '''
                def swish(z: ArrayLike, beta: float = 1.0) -> np.ndarray:
                    z = _as_float(z)
                    with np.errstate(over="ignore"):
                        return np.asarray(z / (1 + np.exp(-beta * z)))
            ''',
            "tanh": '''
                def tanh(z: ArrayLike) -> np.ndarray:
                    """sign(z)·(1 - e^(-2|z|))/(1 + e^(-2|z|)): only non-positive exponents."""
                    z = _as_float(z)
                    e = np.exp(-2 * np.abs(z))
                    return np.asarray(np.sign(z) * -np.expm1(-2 * np.abs(z)) / (1 + e))
            ''',
            "elu": '''
                def elu(z: ArrayLike, alpha: float = 1.0) -> np.ndarray:
                    """α(e^z - 1) as written in the lecture, on min(z, 0) so that e^z cannot overflow."""
                    z = _as_float(z)
                    return np.where(z > 0, z, alpha * (np.exp(np.minimum(z, 0)) - 1))
            ''',
            "selu": '''
                def selu(z: ArrayLike) -> np.ndarray:
                    z = _as_float(z)
                    negative = SELU_ALPHA * (np.exp(np.minimum(z, 0)) - 1)
                    return np.asarray(SELU_LAMBDA * np.where(z > 0, z, negative))
            ''',
        },
    },
)

# ---------------------------------------------------------------------------------------------
variant(
    "c11_piecewise_where",
    "np.where for every piecewise function (relu = where(z > 0, z, 0), leaky_relu = where(z > 0, z, αz), "
    "their derivatives with an explicit astype), tanh' through np.cosh(z)⁻² with overflow guarded, "
    "linear through np.array(z, dtype=...) and linear_grad through np.ones(shape, dtype).",
    {
        "activations": {
            "relu": '''
                def relu(z: ArrayLike) -> np.ndarray:
                    z = _as_float(z)
                    return np.where(z > 0, z, 0).astype(z.dtype)
            ''',
            "relu_grad": '''
                def relu_grad(z: ArrayLike) -> np.ndarray:
                    z = _as_float(z)
                    return np.where(z > 0, 1.0, 0.0).astype(z.dtype)
            ''',
            "leaky_relu": '''
                def leaky_relu(z: ArrayLike, alpha: float = 0.01) -> np.ndarray:
                    z = _as_float(z)
                    return np.where(z > 0, z, alpha * z).astype(z.dtype)
            ''',
            "tanh_grad": '''
                def tanh_grad(z: ArrayLike) -> np.ndarray:
                    """1 - tanh² = 1/cosh²; cosh overflows to inf for |z| > 710 and 1/inf² = 0 is right."""
                    z = _as_float(z)
                    with np.errstate(over="ignore"):
                        c = np.cosh(z)
                        return np.asarray(1 / (c * c))
            ''',
            "linear": '''
                def linear(z: ArrayLike) -> np.ndarray:
                    z = np.asarray(z)
                    return np.array(z, dtype=z.dtype if z.dtype.kind == "f" else np.float64)
            ''',
            "linear_grad": '''
                def linear_grad(z: ArrayLike) -> np.ndarray:
                    z = np.asarray(z)
                    return np.ones(z.shape, dtype=z.dtype if z.dtype.kind == "f" else np.float64)
            ''',
        },
        "losses": {
            "mse_loss": '''
                def mse_loss(input: ArrayLike, target: ArrayLike, reduction: str = "mean") -> np.ndarray:
                    x = _as_float(input)
                    d = x - np.asarray(target).astype(x.dtype)
                    return _reduce(np.square(d), reduction)
            ''',
        },
    },
)

# ---------------------------------------------------------------------------------------------
variant(
    "c12_batched_matrices",
    "Layer functions with explicit matrix algebra: softmax_jacobian as s[..., None]·I - s[..., :, None]·s[..., None, :] "
    "via np.matmul; cross_entropy_grad with the one-hot matrix from np.eye; mse_loss_grad and "
    "bce_with_logits_grad with the 1/N factor taken from np.size; the 'weighted' average as "
    "Σ support·score / Σ support.",
    {
        "activations": {
            "softmax_jacobian": '''
                def softmax_jacobian(z: ArrayLike) -> np.ndarray:
                    s = softmax(z, axis=-1)
                    column = s[..., :, None]
                    outer = np.matmul(column, s[..., None, :])
                    return column * np.eye(s.shape[-1], dtype=s.dtype) - outer
            ''',
        },
        "losses": {
            "mse_loss_grad": '''
                def mse_loss_grad(input: ArrayLike, target: ArrayLike, reduction: str = "mean") -> np.ndarray:
                    _check_reduction(reduction)
                    x = _as_float(input)
                    grad = 2 * (x - np.asarray(target).astype(x.dtype))
                    scale = 1 / np.size(grad) if reduction == "mean" and np.size(grad) else 1
                    return np.asarray(grad * x.dtype.type(scale))
            ''',
            "bce_with_logits_grad": '''
                def bce_with_logits_grad(input: ArrayLike, target: ArrayLike, pos_weight: ArrayLike | None = None,
                                         reduction: str = "mean") -> np.ndarray:
                    """d/dx of w·y·softplus(-x) + (1 - y)·softplus(x) = (1 - y)·σ(x) - w·y·σ(-x)."""
                    _check_reduction(reduction)
                    x = _as_float(input)
                    y = np.asarray(target).astype(x.dtype)
                    w = 1 if pos_weight is None else np.asarray(pos_weight).astype(x.dtype)
                    e = np.exp(-np.abs(x))
                    sig_pos = np.where(x >= 0, 1, e) / (1 + e)  # σ(x)
                    sig_neg = np.where(x >= 0, e, 1) / (1 + e)  # σ(-x)
                    grad = (1 - y) * sig_pos - w * y * sig_neg
                    if reduction == "mean":
                        grad = grad / np.size(grad)
                    return np.asarray(grad)
            ''',
        },
        "metrics": {
            "_average": '''
                def _average(numerator, denominator, support, average, zero_division):
                    if average == "micro":
                        numerator, denominator = np.sum(numerator), np.sum(denominator)
                    defined = denominator > 0
                    ratio = np.atleast_1d(np.where(defined, numerator / np.where(defined, denominator, 1), zero_division))
                    counted = ~np.isnan(ratio)  # zero_division=nan: sklearn averages the other classes only
                    if not counted.any():
                        return np.float64(np.nan)
                    weights = support[counted] if average == "weighted" else np.ones(np.count_nonzero(counted))
                    if np.sum(weights) == 0:
                        weights = np.ones(np.count_nonzero(counted))
                    return np.sum(weights * ratio[counted]) / np.sum(weights)
            ''',
        },
    },
)

# ---------------------------------------------------------------------------------------------
variant(
    "c13_functional_style",
    "Small composable helpers: every elementwise activation through one private _piecewise(z, "
    "cond, then, otherwise) that computes each branch only on its own elements; gaussian_nll with "
    "var broadcast explicitly; r2 through np.average.",
    {
        "activations": {
            "relu": '''
                def relu(z: ArrayLike) -> np.ndarray:
                    z = _as_float(z)
                    return _piecewise(z, z > 0, lambda v: v, lambda v: 0 * v)
            ''',
            "elu": '''
                def elu(z: ArrayLike, alpha: float = 1.0) -> np.ndarray:
                    z = _as_float(z)
                    return _piecewise(z, z > 0, lambda v: v, lambda v: alpha * np.expm1(v))
            ''',
            "elu_grad": '''
                def elu_grad(z: ArrayLike, alpha: float = 1.0) -> np.ndarray:
                    z = _as_float(z)
                    return _piecewise(z, z > 0, np.ones_like, lambda v: alpha * np.exp(v))
            ''',
            "selu_grad": '''
                def selu_grad(z: ArrayLike) -> np.ndarray:
                    z = _as_float(z)
                    return _piecewise(z, z > 0, lambda v: np.full_like(v, SELU_LAMBDA),
                                      lambda v: SELU_LAMBDA * SELU_ALPHA * np.exp(v))
            ''',
            "sigmoid": '''
                def sigmoid(z: ArrayLike) -> np.ndarray:
                    z = _as_float(z)
                    return _piecewise(z, z >= 0, lambda v: 1 / (1 + np.exp(-v)),
                                      lambda v: np.exp(v) / (1 + np.exp(v)))
            ''',
            "softplus_grad": '''
                def softplus_grad(z: ArrayLike, beta: float = 1.0, threshold: float = 20.0) -> np.ndarray:
                    z = _as_float(z)
                    return _piecewise(z, beta * z > threshold, np.ones_like, lambda v: sigmoid(beta * v))
            ''',
        },
        "losses": {
            "gaussian_nll": '''
                def gaussian_nll(input: ArrayLike, target: ArrayLike, var: ArrayLike = 1.0,
                                 reduction: str = "mean") -> np.ndarray:
                    x = _as_float(input)
                    y = np.asarray(target).astype(x.dtype)
                    v = np.asarray(var).astype(x.dtype)
                    loss = 0.5 * np.log(2 * np.pi * v) + 0.5 * (y - x) * (y - x) / v
                    return _reduce(loss, reduction)
            ''',
        },
        "metrics": {
            "r2_score": '''
                def r2_score(y_true: ArrayLike, y_pred: ArrayLike) -> np.floating:
                    y_true, y_pred = _as_float(y_true), _as_float(y_pred)
                    ss_res = np.sum((y_true - y_pred) ** 2)
                    ss_tot = np.sum((y_true - np.average(y_true)) ** 2)
                    if ss_tot > 0:
                        return 1 - ss_res / ss_tot
                    return np.ones_like(ss_tot) if ss_res == 0 else np.zeros_like(ss_tot)
            ''',
        },
    },
    helpers={
        "activations": '''
            def _piecewise(z, condition, then, otherwise):
                """then(z) where condition holds, otherwise(z) elsewhere; each branch sees only its elements."""
                out = np.empty_like(z)
                out[condition] = then(z[condition])
                out[~condition] = otherwise(z[~condition])
                return out
        ''',
    },
)

# ---------------------------------------------------------------------------------------------
variant(
    "c14_integer_labels_by_bincount",
    "Label metrics through np.unique(return_inverse) and np.bincount: per-class TP/FP/FN counted "
    "with bincount(minlength=K); confusion_matrix as bincount of true·K + pred; accuracy as the "
    "trace of the confusion matrix over N; cross_entropy on probability targets with np.einsum.",
    {
        "metrics": {
            "confusion_matrix": '''
                def confusion_matrix(y_true: ArrayLike, y_pred: ArrayLike, labels: ArrayLike | None = None) -> np.ndarray:
                    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
                    labels = np.union1d(y_true, y_pred) if labels is None else np.asarray(labels)
                    k = len(labels)
                    t = np.array([_position(labels, v) for v in y_true.tolist()], dtype=np.int64)
                    p = np.array([_position(labels, v) for v in y_pred.tolist()], dtype=np.int64)
                    keep = (t >= 0) & (p >= 0)
                    counts = np.bincount(t[keep] * k + p[keep], minlength=k * k)
                    return counts.reshape(k, k).astype(np.int64)
            ''',
            "_class_counts": '''
                def _class_counts(y_true, y_pred, average, pos_label):
                    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
                    classes = np.union1d(y_true, y_pred)
                    if average == "binary":
                        if len(classes) > 2 or (len(classes) == 2 and pos_label not in classes):
                            raise ValueError(f"average='binary' with labels {classes.tolist()}")
                        t, p = y_true == pos_label, y_pred == pos_label
                        return (np.array([np.sum(t & p)]), np.array([np.sum(~t & p)]),
                                np.array([np.sum(t & ~p)]))
                    if average not in ("micro", "macro", "weighted"):
                        raise ValueError(f"average must be 'binary', 'micro', 'macro' or 'weighted', got {average!r}")
                    k = len(classes)
                    t = np.searchsorted(classes, y_true)
                    p = np.searchsorted(classes, y_pred)
                    hit = t == p
                    tp = np.bincount(t[hit], minlength=k)
                    fp = np.bincount(p, minlength=k) - tp
                    fn = np.bincount(t, minlength=k) - tp
                    return tp, fp, fn
            ''',
            "accuracy_score": '''
                def accuracy_score(y_true: ArrayLike, y_pred: ArrayLike) -> np.floating:
                    cm = confusion_matrix(y_true, y_pred)
                    with np.errstate(invalid="ignore", divide="ignore"):
                        return np.float64(np.trace(cm)) / np.float64(cm.sum())
            ''',
        },
        "losses": {
            "cross_entropy": '''
                def cross_entropy(input: ArrayLike, target: ArrayLike, reduction: str = "mean") -> np.ndarray:
                    x = _as_float(input)
                    target = np.asarray(target)
                    log_p = _log_softmax(x)
                    if target.ndim == x.ndim - 1:
                        loss = -np.take_along_axis(log_p, target[:, None].astype(np.intp), axis=-1)[:, 0]
                    else:
                        loss = -np.einsum("nc,nc->n", target.astype(x.dtype), log_p)
                    return _reduce(loss, reduction)
            ''',
        },
    },
    helpers={
        "metrics": '''
            def _position(labels, value):
                """Index of ``value`` in ``labels`` (first match), -1 when absent."""
                where = np.flatnonzero(labels == value)
                return int(where[0]) if where.size else -1
        ''',
    },
)


# =============================================================================================
# issue 14 (validity1): more ways to be right, at the edges the new checks visit
# =============================================================================================

variant(
    "c15_float64_then_cast_back",
    "Every value computed in float64 and cast back to the input's floating dtype at the end (float16 "
    "and float32 kept that way), in sigmoid, tanh_grad, softplus, softmax, mse_loss and mean_absolute_error.",
    {
        "activations": {
            "sigmoid": '''
                def sigmoid(z: ArrayLike) -> np.ndarray:
                    """σ in float64, then back to the input's dtype."""
                    z = _as_float(z)
                    x = z.astype(np.float64)
                    e = np.exp(-np.abs(x))
                    return np.where(x >= 0, 1 / (1 + e), e / (1 + e)).astype(z.dtype)
            ''',
            "tanh_grad": '''
                def tanh_grad(z: ArrayLike) -> np.ndarray:
                    z = _as_float(z)
                    t = np.tanh(z.astype(np.float64))
                    return np.asarray((1 - t * t).astype(z.dtype))
            ''',
            "softplus": '''
                def softplus(z: ArrayLike, beta: float = 1.0, threshold: float = 20.0) -> np.ndarray:
                    z = _as_float(z)
                    x = z.astype(np.float64)
                    bx = beta * x
                    smooth = np.logaddexp(0.0, bx) / beta
                    return np.where(bx > threshold, x, smooth).astype(z.dtype)
            ''',
            "softmax": '''
                def softmax(z: ArrayLike, axis: int = -1) -> np.ndarray:
                    z = _as_float(z)
                    if z.size == 0:
                        return z.copy()
                    x = z.astype(np.float64)
                    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
                    return (e / np.sum(e, axis=axis, keepdims=True)).astype(z.dtype)
            ''',
        },
        "losses": {
            "mse_loss": '''
                def mse_loss(input: ArrayLike, target: ArrayLike, reduction: str = "mean") -> np.ndarray:
                    x = _as_float(input)
                    d = x.astype(np.float64) - np.asarray(target, dtype=np.float64)
                    return np.asarray(_reduce(d * d, reduction), dtype=x.dtype)
            ''',
        },
        "metrics": {
            "mean_absolute_error": '''
                def mean_absolute_error(y_true: ArrayLike, y_pred: ArrayLike) -> np.floating:
                    t, p = _as_float(y_true), _as_float(y_pred)
                    kept = np.result_type(t, p)
                    return kept.type(np.mean(np.abs(p.astype(np.float64) - t.astype(np.float64))))
            ''',
        },
    },
)

variant(
    "c16_where_under_errstate",
    "np.where over both branches with the discarded branch's overflow silenced by np.errstate: "
    "σ = where(z ≥ 0, 1/(1 + e^-z), e^z/(1 + e^z)), ELU/SELU and their derivatives with e^z of every z.",
    {
        "activations": {
            "sigmoid": '''
                def sigmoid(z: ArrayLike) -> np.ndarray:
                    z = _as_float(z)
                    with np.errstate(over="ignore", invalid="ignore"):
                        return np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))
            ''',
            "elu": '''
                def elu(z: ArrayLike, alpha: float = 1.0) -> np.ndarray:
                    z = _as_float(z)
                    with np.errstate(over="ignore"):
                        return np.where(z > 0, z, alpha * np.expm1(z))
            ''',
            "elu_grad": '''
                def elu_grad(z: ArrayLike, alpha: float = 1.0) -> np.ndarray:
                    z = _as_float(z)
                    with np.errstate(over="ignore"):
                        return np.where(z > 0, 1, alpha * np.exp(z)).astype(z.dtype)
            ''',
            "selu_grad": '''
                def selu_grad(z: ArrayLike) -> np.ndarray:
                    z = _as_float(z)
                    with np.errstate(over="ignore"):
                        return np.where(z > 0, SELU_LAMBDA, SELU_LAMBDA * SELU_ALPHA * np.exp(z)).astype(z.dtype)
            ''',
        },
    },
)

variant(
    "c17_piecewise",
    "np.piecewise for the piecewise activations: each branch is evaluated only on its own elements, "
    "so e^z never sees a large positive z (relu, leaky_relu, elu, elu_grad, selu).",
    {
        "activations": {
            "relu": '''
                def relu(z: ArrayLike) -> np.ndarray:
                    z = _as_float(z)
                    return np.asarray(np.piecewise(z, [z > 0], [lambda v: v, 0]))
            ''',
            "leaky_relu": '''
                def leaky_relu(z: ArrayLike, alpha: float = 0.01) -> np.ndarray:
                    z = _as_float(z)
                    return np.asarray(np.piecewise(z, [z > 0], [lambda v: v, lambda v: alpha * v]))
            ''',
            "elu": '''
                def elu(z: ArrayLike, alpha: float = 1.0) -> np.ndarray:
                    z = _as_float(z)
                    return np.asarray(np.piecewise(z, [z > 0], [lambda v: v, lambda v: alpha * np.expm1(v)]))
            ''',
            "elu_grad": '''
                def elu_grad(z: ArrayLike, alpha: float = 1.0) -> np.ndarray:
                    z = _as_float(z)
                    return np.asarray(np.piecewise(z, [z > 0], [1, lambda v: alpha * np.exp(v)]))
            ''',
            "selu": '''
                def selu(z: ArrayLike) -> np.ndarray:
                    z = _as_float(z)
                    return np.asarray(np.piecewise(z, [z > 0], [lambda v: SELU_LAMBDA * v,
                                                                lambda v: SELU_LAMBDA * SELU_ALPHA * np.expm1(v)]))
            ''',
        },
    },
)

variant(
    "c18_regression_metrics_by_dot_and_var",
    "Regression metrics through np.dot and np.var: MSE = d·d / N, MAE = Σ|d| / N, R² = 1 - mean(d²)/var(y) "
    "(np.var is two-pass: no cancellation at a large offset).",
    {
        "metrics": {
            "mean_squared_error": '''
                def mean_squared_error(y_true: ArrayLike, y_pred: ArrayLike) -> np.floating:
                    y_true, y_pred = _as_float(y_true), _as_float(y_pred)
                    d = y_pred - y_true
                    return np.dot(d, d) / d.dtype.type(d.size)
            ''',
            "mean_absolute_error": '''
                def mean_absolute_error(y_true: ArrayLike, y_pred: ArrayLike) -> np.floating:
                    y_true, y_pred = _as_float(y_true), _as_float(y_pred)
                    d = np.abs(y_pred - y_true)
                    return np.sum(d) / d.dtype.type(d.size)
            ''',
            "r2_score": '''
                def r2_score(y_true: ArrayLike, y_pred: ArrayLike) -> np.floating:
                    y_true, y_pred = _as_float(y_true), _as_float(y_pred)
                    if len(y_true) < 2:
                        return np.float64(np.nan)
                    mse = np.mean((y_true - y_pred) ** 2)
                    var = np.var(y_true)
                    if var == 0:
                        return np.asarray(mse == 0, dtype=var.dtype)
                    return 1 - mse / var
            ''',
        },
    },
)

variant(
    "c19_losses_by_einsum_and_square",
    "np.square for squared errors, ln(2π·var) as ln 2π + ln var, and the cross entropy of both "
    "target kinds through one-hot rows and np.einsum('nc,nc->n').",
    {
        "losses": {
            "mse_loss": '''
                def mse_loss(input: ArrayLike, target: ArrayLike, reduction: str = "mean") -> np.ndarray:
                    x = _as_float(input)
                    return _reduce(np.square(x - np.asarray(target, dtype=x.dtype)), reduction)
            ''',
            "gaussian_nll": '''
                def gaussian_nll(input: ArrayLike, target: ArrayLike, var: ArrayLike = 1.0,
                                 reduction: str = "mean") -> np.ndarray:
                    x = _as_float(input)
                    y = np.asarray(target, dtype=x.dtype)
                    var = np.asarray(var, dtype=x.dtype)
                    if var.ndim and var.shape == x.shape[:-1]:
                        var = var[..., None]
                    d = (y - x) / np.sqrt(var)
                    loss = 0.5 * (np.log(var) + np.square(d)) + x.dtype.type(0.5 * np.log(2 * np.pi))
                    return _reduce(loss, reduction)
            ''',
            "cross_entropy": '''
                def cross_entropy(input: ArrayLike, target: ArrayLike, reduction: str = "mean") -> np.ndarray:
                    x = _as_float(input)
                    target = np.asarray(target)
                    if target.ndim == x.ndim - 1:
                        t = (np.arange(x.shape[-1]) == target[:, None]).astype(x.dtype)
                    else:
                        t = target.astype(x.dtype)
                    return _reduce(-np.einsum("nc,nc->n", t, _log_softmax(x)), reduction)
            ''',
        },
    },
)

variant(
    "c20_bce_log_of_clamped_p",
    "BCE as -[y·ln max(p, e^-100) + (1-y)·ln max(1-p, e^-100)]: the clamp before the log (the log is "
    "monotonic, so this is max(ln p, -100)), and no log of 0 in float32 and float64.",
    {
        "losses": {
            "bce_loss": '''
                def bce_loss(input: ArrayLike, target: ArrayLike, reduction: str = "mean") -> np.ndarray:
                    p = _as_float(input)
                    y = np.asarray(target, dtype=p.dtype)
                    floor = np.exp(p.dtype.type(-100))
                    log_p = np.maximum(np.log(np.maximum(p, floor)), -100)
                    log_q = np.maximum(np.log(np.maximum(1 - p, floor)), -100)
                    return _reduce(-(y * log_p + (1 - y) * log_q), reduction)
            ''',
        },
    },
)

variant(
    "c21_softmax_by_logsumexp",
    "softmax = exp(z - logsumexp(z)), log_softmax = z - logsumexp(z) with logsumexp = m + ln Σ e^(z-m), "
    "and the Jacobian through np.einsum.",
    {
        "activations": {
            "softmax": '''
                def softmax(z: ArrayLike, axis: int = -1) -> np.ndarray:
                    return np.exp(log_softmax(z, axis=axis))
            ''',
            "log_softmax": '''
                def log_softmax(z: ArrayLike, axis: int = -1) -> np.ndarray:
                    z = _as_float(z)
                    if z.size == 0:
                        return z.copy()
                    m = np.max(z, axis=axis, keepdims=True)
                    with np.errstate(over="ignore"):
                        shifted = z - m
                    return np.asarray(shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True)))
            ''',
            "softmax_jacobian": '''
                def softmax_jacobian(z: ArrayLike) -> np.ndarray:
                    s = softmax(np.atleast_1d(z), axis=-1)
                    eye = np.eye(s.shape[-1], dtype=s.dtype)
                    return np.einsum("...i,ij->...ij", s, eye) - np.einsum("...i,...j->...ij", s, s)
            ''',
        },
    },
)

variant(
    "c22_derivatives_in_closed_form",
    "Derivatives in closed form from e = e^-|z|: σ' = e/(1 + e)², tanh' = 4e²/(1 + e²)² with e = e^-|z|, "
    "softplus' = exp(-logaddexp(0, -βz)).",
    {
        "activations": {
            "sigmoid_grad": '''
                def sigmoid_grad(z: ArrayLike) -> np.ndarray:
                    z = _as_float(z)
                    e = np.exp(-np.abs(z))
                    return np.asarray(e / (1 + e) ** 2)
            ''',
            "tanh_grad": '''
                def tanh_grad(z: ArrayLike) -> np.ndarray:
                    z = _as_float(z)
                    e = np.exp(-2 * np.abs(z))
                    return np.asarray(4 * e / (1 + e) ** 2)
            ''',
            "softplus_grad": '''
                def softplus_grad(z: ArrayLike, beta: float = 1.0, threshold: float = 20.0) -> np.ndarray:
                    z = _as_float(z)
                    bz = beta * z
                    return np.where(bz > threshold, 1, np.exp(-np.logaddexp(0, -bz))).astype(z.dtype)
            ''',
        },
    },
)

variant(
    "c23_label_metrics_by_python",
    "accuracy and the confusion matrix with plain Python over zip() and a dict of label positions; "
    "the result wrapped as numpy values.",
    {
        "metrics": {
            "accuracy_score": '''
                def accuracy_score(y_true: ArrayLike, y_pred: ArrayLike) -> np.floating:
                    t, p = np.asarray(y_true).tolist(), np.asarray(y_pred).tolist()
                    return np.float64(sum(a == b for a, b in zip(t, p)) / len(t))
            ''',
            "confusion_matrix": '''
                def confusion_matrix(y_true: ArrayLike, y_pred: ArrayLike, labels: ArrayLike | None = None) -> np.ndarray:
                    t, p = np.asarray(y_true).tolist(), np.asarray(y_pred).tolist()
                    order = sorted(set(t) | set(p)) if labels is None else np.asarray(labels).tolist()
                    where = {label: i for i, label in enumerate(order)}
                    matrix = np.zeros((len(order), len(order)), dtype=np.int64)
                    for a, b in zip(t, p):
                        if a in where and b in where:
                            matrix[where[a], where[b]] += 1
                    return matrix
            ''',
        },
    },
)

variant(
    "c24_ravel_and_reshape",
    "Elementwise activations computed on z.ravel() and reshaped to z.shape (0-d and empty included).",
    {
        "activations": {
            "swish": '''
                def swish(z: ArrayLike, beta: float = 1.0) -> np.ndarray:
                    z = _as_float(z)
                    flat = z.ravel()
                    return (flat * sigmoid(beta * flat)).reshape(z.shape)
            ''',
            "swish_grad": '''
                def swish_grad(z: ArrayLike, beta: float = 1.0) -> np.ndarray:
                    z = _as_float(z)
                    flat = z.ravel()
                    s = sigmoid(beta * flat)
                    return (s + beta * flat * s * (1 - s)).reshape(z.shape)
            ''',
            "linear_grad": '''
                def linear_grad(z: ArrayLike) -> np.ndarray:
                    z = _as_float(z)
                    return np.ones(z.size, dtype=z.dtype).reshape(z.shape)
            ''',
            "leaky_relu_grad": '''
                def leaky_relu_grad(z: ArrayLike, alpha: float = 0.01) -> np.ndarray:
                    z = _as_float(z)
                    flat = z.ravel()
                    out = np.full(flat.shape, alpha, dtype=z.dtype)
                    out[flat > 0] = 1
                    return out.reshape(z.shape)
            ''',
        },
    },
)

variant(
    "c25_logits_by_logaddexp",
    "bce_with_logits with -ln σ(x) = logaddexp(0, -x) and -ln(1 - σ(x)) = logaddexp(0, x); its gradient "
    "with σ(x) = exp(-logaddexp(0, -x)).",
    {
        "losses": {
            "bce_with_logits": '''
                def bce_with_logits(input: ArrayLike, target: ArrayLike, pos_weight: ArrayLike | None = None,
                                    reduction: str = "mean") -> np.ndarray:
                    x = _as_float(input)
                    y = np.asarray(target, dtype=x.dtype)
                    w = 1 if pos_weight is None else np.asarray(pos_weight, dtype=x.dtype)
                    loss = w * y * np.logaddexp(0, -x) + (1 - y) * np.logaddexp(0, x)
                    return _reduce(loss, reduction)
            ''',
            "bce_with_logits_grad": '''
                def bce_with_logits_grad(input: ArrayLike, target: ArrayLike, pos_weight: ArrayLike | None = None,
                                         reduction: str = "mean") -> np.ndarray:
                    _check_reduction(reduction)
                    x = _as_float(input)
                    y = np.asarray(target, dtype=x.dtype)
                    w = 1 if pos_weight is None else np.asarray(pos_weight, dtype=x.dtype)
                    sig = np.exp(-np.logaddexp(0, -x))
                    grad = sig * (w * y + 1 - y) - w * y
                    return np.asarray(grad / grad.size if reduction == "mean" else grad)
            ''',
        },
    },
)

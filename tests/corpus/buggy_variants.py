"""Plausible BUGGY submissions, one bug each (tests/test_corpora.py).

Each case is ``solutions/`` with exactly one wrong function (``function``); every other
function stays correct. When the wrong function is one that others call (sigmoid, tanh, elu,
elu_grad, softmax), those callers are redirected to a private correct copy (``calls(...)``
edits plus ``helpers``), so that the case loses points on its buggy function only. ``hint`` is
the key in ``autograder/messages.py`` that the feedback of that function must contain (the
slides' errata and the classic numerical mistakes), or None when no specific hint is expected.
"""

from make_corpus import Variant, calls

VARIANTS: list[Variant] = []

# private correct copies for the callers of a buggy function
SIGMOID = '''
    def _sigmoid(z):
        """A correct stable sigmoid for the other functions (only ``sigmoid`` is buggy here)."""
        z = _as_float(z)
        e = np.exp(-np.abs(z))
        return np.where(z >= 0, 1 / (1 + e), e / (1 + e))
'''
SIGMOID_CALLERS = {"sigmoid_grad": calls("sigmoid", "_sigmoid"), "softplus_grad": calls("sigmoid", "_sigmoid"),
                   "swish": calls("sigmoid", "_sigmoid"), "swish_grad": calls("sigmoid", "_sigmoid")}
SOFTMAX = '''
    def _softmax(z, axis=-1):
        """A correct softmax for softmax_jacobian (only ``softmax`` is buggy here)."""
        z = _as_float(z)
        if z.size == 0:
            return z.copy()
        e = np.exp(z - np.max(z, axis=axis, keepdims=True))
        return e / np.sum(e, axis=axis, keepdims=True)
'''


def bug(name, function, hint, description, changes, helpers=None):
    module, _ = function.split(".")
    VARIANTS.append(Variant(name, description, {module: changes}, {module: helpers} if helpers else {},
                            function=function, hint=hint))


# =============================================================================================
# activations.py
# =============================================================================================

bug("a01_sigmoid_exp_ratio", "activations.sigmoid", "hint_overflow",
    "σ(z) = e^z / (1 + e^z): inf/inf = nan for z ≥ 710 (z ≥ 89 in float32).",
    {"sigmoid": '''
        def sigmoid(z: ArrayLike) -> np.ndarray:
            z = _as_float(z)
            e = np.exp(z)
            return np.asarray(e / (1 + e))
     ''', **SIGMOID_CALLERS}, SIGMOID)

bug("a02_sigmoid_grad_naive", "activations.sigmoid_grad", "hint_overflow",
    "σ'(z) = e^-z / (1 + e^-z)²: inf/inf = nan for z ≤ -710.",
    {"sigmoid_grad": '''
        def sigmoid_grad(z: ArrayLike) -> np.ndarray:
            z = _as_float(z)
            e = np.exp(-z)
            return np.asarray(e / (1 + e) ** 2)
     '''})

bug("a03_tanh_exp_quotient", "activations.tanh", "hint_overflow",
    "tanh as the quotient (e^z - e^-z)/(e^z + e^-z): inf/inf = nan for |z| ≥ 710.",
    {"tanh": '''
        def tanh(z: ArrayLike) -> np.ndarray:
            z = _as_float(z)
            a, b = np.exp(z), np.exp(-z)
            return np.asarray((a - b) / (a + b))
     ''', "tanh_grad": calls("tanh", "_tanh")},
    '''
    def _tanh(z):
        """A correct tanh for tanh_grad (only ``tanh`` is buggy here)."""
        return np.tanh(_as_float(z))
    ''')

bug("a04_tanh_grad_slide", "activations.tanh_grad", "hint_tanh_grad_sigmoid",
    "The slide's erratum: tanh'(z) = 1 - σ(z)².",
    {"tanh_grad": '''
        def tanh_grad(z: ArrayLike) -> np.ndarray:
            s = sigmoid(z)
            return np.asarray(1 - s**2)
     '''})

bug("a05_relu_grad_kink_one", "activations.relu_grad", "hint_relu_kink",
    "relu'(0) = 1 (z >= 0 instead of z > 0).",
    {"relu_grad": '''
        def relu_grad(z: ArrayLike) -> np.ndarray:
            z = _as_float(z)
            return np.asarray(z >= 0, dtype=z.dtype)
     '''})

bug("a06_relu_in_place", "activations.relu", None,
    "ReLU computed in place: np.maximum(z, 0, out=z) overwrites the caller's float array.",
    {"relu": '''
        def relu(z: ArrayLike) -> np.ndarray:
            z = _as_float(z)
            np.maximum(z, 0, out=z)
            return z
     '''})

bug("a07_leaky_relu_ignores_alpha", "activations.leaky_relu", None,
    "The slope is hard-coded to 0.01: the alpha argument is ignored.",
    {"leaky_relu": '''
        def leaky_relu(z: ArrayLike, alpha: float = 0.01) -> np.ndarray:
            z = _as_float(z)
            return np.asarray(np.maximum(0.01 * z, z))
     '''})

bug("a08_leaky_relu_grad_kink_one", "activations.leaky_relu_grad", "hint_relu_kink",
    "leaky_relu'(0) = 1 instead of α (z >= 0).",
    {"leaky_relu_grad": '''
        def leaky_relu_grad(z: ArrayLike, alpha: float = 0.01) -> np.ndarray:
            z = _as_float(z)
            return np.where(z >= 0, 1, alpha).astype(z.dtype)
     '''})

bug("a09_softplus_naive_exp", "activations.softplus", "hint_overflow",
    "ln(1 + e^(βz))/β with the threshold branch but a naive e^(βz): inf below a large threshold "
    "(e.g. z = 1000 with threshold = 2000, true value 1000).",
    {"softplus": '''
        def softplus(z: ArrayLike, beta: float = 1.0, threshold: float = 20.0) -> np.ndarray:
            z = _as_float(z)
            bz = beta * z
            return np.where(bz > threshold, z, np.log1p(np.exp(bz)) / beta)
     '''})

bug("a10_softplus_grad_threshold_ge", "activations.softplus_grad", "hint_softplus_threshold",
    "The linear branch taken where βz >= threshold (torch: strictly >): 1 instead of σ(β·z) at βz = threshold.",
    {"softplus_grad": '''
        def softplus_grad(z: ArrayLike, beta: float = 1.0, threshold: float = 20.0) -> np.ndarray:
            z = _as_float(z)
            bz = beta * z
            return np.where(bz >= threshold, 1, sigmoid(bz))
     '''})

bug("a11_softplus_grad_slide_sigma_z", "activations.softplus_grad", "hint_softplus_grad_beta",
    "The slide's erratum: softplus'(z) = σ(z), ignoring β (the threshold kept).",
    {"softplus_grad": '''
        def softplus_grad(z: ArrayLike, beta: float = 1.0, threshold: float = 20.0) -> np.ndarray:
            z = _as_float(z)
            bz = beta * z
            return np.where(bz > threshold, 1, sigmoid(z))
     '''})

bug("a12_elu_ignores_alpha", "activations.elu", None,
    "ELU with α fixed to 1: e^z - 1 for z ≤ 0 whatever alpha is.",
    {"elu": '''
        def elu(z: ArrayLike, alpha: float = 1.0) -> np.ndarray:
            z = _as_float(z)
            return np.where(z > 0, z, np.expm1(np.minimum(z, 0)))
     ''', "selu": calls("elu", "_elu")},
    '''
    def _elu(z, alpha=1.0):
        """A correct ELU for selu (only ``elu`` is buggy here)."""
        z = _as_float(z)
        return np.where(z > 0, z, alpha * np.expm1(np.minimum(z, 0)))
    ''')

bug("a13_elu_grad_drops_alpha", "activations.elu_grad", "hint_elu_grad_drop_alpha",
    "The slide's ELU derivative without its + α: α(e^z - 1) for z ≤ 0.",
    {"elu_grad": '''
        def elu_grad(z: ArrayLike, alpha: float = 1.0) -> np.ndarray:
            z = _as_float(z)
            return np.where(z > 0, 1, alpha * np.expm1(np.minimum(z, 0)))
     ''', "selu_grad": calls("elu_grad", "_elu_grad")},
    '''
    def _elu_grad(z, alpha=1.0):
        """A correct ELU derivative for selu_grad (only ``elu_grad`` is buggy here)."""
        z = _as_float(z)
        return np.where(z > 0, 1, alpha * np.exp(np.minimum(z, 0)))
    ''')

bug("a14_selu_truncated_constants", "activations.selu", "hint_selu_constants",
    "SELU with the constants truncated to λ = 1.05, α = 1.67.",
    {"selu": '''
        def selu(z: ArrayLike) -> np.ndarray:
            return np.asarray(1.05 * elu(z, 1.67))
     '''})

bug("a15_selu_grad_kink_lambda", "activations.selu_grad", "hint_relu_kink",
    "selu'(0) = λ (positive branch, z >= 0) instead of λα.",
    {"selu_grad": '''
        def selu_grad(z: ArrayLike) -> np.ndarray:
            z = _as_float(z)
            negative = SELU_LAMBDA * SELU_ALPHA * np.exp(np.minimum(z, 0))
            return np.where(z >= 0, SELU_LAMBDA, negative).astype(z.dtype)
     '''})

bug("a16_swish_ignores_beta", "activations.swish", None,
    "swish = z·σ(z): β ignored.",
    {"swish": '''
        def swish(z: ArrayLike, beta: float = 1.0) -> np.ndarray:
            z = _as_float(z)
            return np.asarray(z * sigmoid(z))
     '''})

bug("a17_swish_grad_slide", "activations.swish_grad", "hint_swish_grad_slide",
    "The slide's garbled Swish derivative βzσ(βz) + σ(βz)(1 - βσ(βz)).",
    {"swish_grad": '''
        def swish_grad(z: ArrayLike, beta: float = 1.0) -> np.ndarray:
            z = _as_float(z)
            s = sigmoid(beta * z)
            return np.asarray(beta * z * s + s * (1 - beta * s))
     '''})

bug("a18_linear_keeps_int", "activations.linear", "hint_dtype",
    "linear returns a copy without the float conversion: int and bool inputs stay int and bool.",
    {"linear": '''
        def linear(z: ArrayLike) -> np.ndarray:
            return np.array(z)
     '''})

bug("a19_linear_grad_float64", "activations.linear_grad", "hint_dtype",
    "np.ones(np.shape(z)): always float64, so float32 in gives float64 out.",
    {"linear_grad": '''
        def linear_grad(z: ArrayLike) -> np.ndarray:
            return np.ones(np.shape(z))
     '''})

bug("a20_sigmoid_grad_upcast", "activations.sigmoid_grad", "hint_dtype",
    "The input converted with np.asarray(z, dtype=float): float32 upcast to float64.",
    {"sigmoid_grad": '''
        def sigmoid_grad(z: ArrayLike) -> np.ndarray:
            s = sigmoid(np.asarray(z, dtype=float))
            return np.asarray(s * (1 - s))
     '''})

bug("a21_softmax_no_shift", "activations.softmax", "hint_softmax_shift",
    "softmax without the max-shift: e^z overflows to inf, inf/inf = nan.",
    {"softmax": '''
        def softmax(z: ArrayLike, axis: int = -1) -> np.ndarray:
            z = _as_float(z)
            e = np.exp(z)
            return np.asarray(e / np.sum(e, axis=axis, keepdims=True))
     ''', "softmax_jacobian": calls("softmax", "_softmax")}, SOFTMAX)

bug("a22_softmax_whole_array", "activations.softmax", None,
    "The denominator sums over the whole array instead of along axis: a batch is normalised as one.",
    {"softmax": '''
        def softmax(z: ArrayLike, axis: int = -1) -> np.ndarray:
            z = _as_float(z)
            if z.size == 0:
                return z.copy()
            e = np.exp(z - np.max(z))
            return np.asarray(e / np.sum(e))
     ''', "softmax_jacobian": calls("softmax", "_softmax")}, SOFTMAX)

bug("a23_log_softmax_log_of_softmax", "activations.log_softmax", "hint_log_of_softmax",
    "log_softmax = np.log(softmax(z)): -inf where the softmax underflows to 0.",
    {"log_softmax": '''
        def log_softmax(z: ArrayLike, axis: int = -1) -> np.ndarray:
            return np.asarray(np.log(softmax(z, axis=axis)))
     '''})

bug("a24_softmax_jacobian_unbatched", "activations.softmax_jacobian", None,
    "diag(s) - outer(s, s) with np.diag/np.outer: right for one row, wrong (or an error) for a batch.",
    {"softmax_jacobian": '''
        def softmax_jacobian(z: ArrayLike) -> np.ndarray:
            s = softmax(z, axis=-1)
            return np.diag(s) - np.outer(s, s)
     '''})

bug("a25_relu_grad_int_result", "activations.relu_grad", "hint_dtype",
    "relu_grad = (z > 0) * 1: the right values, but an int64 array.",
    {"relu_grad": '''
        def relu_grad(z: ArrayLike) -> np.ndarray:
            return np.asarray((np.asarray(z) > 0) * 1)
     '''})

# =============================================================================================
# losses.py
# =============================================================================================

bug("l01_gaussian_nll_no_2pi", "losses.gaussian_nll", "hint_gaussian_nll_full",
    "½·(ln var + (y - x)²/var): the constant ½·ln 2π of the full likelihood is missing (torch's full=False).",
    {"gaussian_nll": '''
        def gaussian_nll(input: ArrayLike, target: ArrayLike, var: ArrayLike = 1.0, reduction: str = "mean") -> np.ndarray:
            x = _as_float(input)
            y = np.asarray(target, dtype=x.dtype)
            var = np.asarray(var, dtype=x.dtype)
            return _reduce(0.5 * (np.log(var) + (y - x) ** 2 / var), reduction)
     '''})

bug("l02_gaussian_nll_var_not_dividing", "losses.gaussian_nll", None,
    "½·(ln(2π·var) + (y - x)²): the squared error is not divided by var.",
    {"gaussian_nll": '''
        def gaussian_nll(input: ArrayLike, target: ArrayLike, var: ArrayLike = 1.0, reduction: str = "mean") -> np.ndarray:
            x = _as_float(input)
            y = np.asarray(target, dtype=x.dtype)
            var = np.asarray(var, dtype=x.dtype)
            return _reduce(0.5 * (np.log(2 * np.pi * var) + (y - x) ** 2), reduction)
     '''})

bug("l03_mse_sum_as_mean", "losses.mse_loss", "hint_reduction",
    "reduction='sum' treated as 'mean' (anything but 'none' averages).",
    {"mse_loss": '''
        def mse_loss(input: ArrayLike, target: ArrayLike, reduction: str = "mean") -> np.ndarray:
            _check_reduction(reduction)
            x = _as_float(input)
            y = np.asarray(target, dtype=x.dtype)
            loss = (x - y) ** 2
            return loss if reduction == "none" else np.asarray(np.mean(loss))
     '''})

bug("l04_mse_in_place", "losses.mse_loss", None,
    "x -= y on the caller's float array: the input is modified in place.",
    {"mse_loss": '''
        def mse_loss(input: ArrayLike, target: ArrayLike, reduction: str = "mean") -> np.ndarray:
            x = _as_float(input)
            x -= np.asarray(target, dtype=x.dtype)
            return _reduce(x**2, reduction)
     '''})

bug("l05_mse_grad_no_mean_factor", "losses.mse_loss_grad", "hint_missing_mean_factor",
    "2(x - y) for every reduction: the 1/N of 'mean' is missing.",
    {"mse_loss_grad": '''
        def mse_loss_grad(input: ArrayLike, target: ArrayLike, reduction: str = "mean") -> np.ndarray:
            _check_reduction(reduction)
            x = _as_float(input)
            y = np.asarray(target, dtype=x.dtype)
            return np.asarray(2 * (x - y))
     '''})

bug("l06_mse_grad_no_factor_two", "losses.mse_loss_grad", "hint_mse_grad_factor_two",
    "(x - y)/N: the factor 2 of d(x - y)²/dx is missing.",
    {"mse_loss_grad": '''
        def mse_loss_grad(input: ArrayLike, target: ArrayLike, reduction: str = "mean") -> np.ndarray:
            _check_reduction(reduction)
            x = _as_float(input)
            grad = x - np.asarray(target, dtype=x.dtype)
            return np.asarray(grad / grad.size if reduction == "mean" else grad)
     '''})

bug("l07_bce_log_zero", "losses.bce_loss", "hint_log_zero",
    "No clamp: ln 0 = -inf gives inf for p = 0, y = 1 and 0·(-inf) = nan for a perfect prediction.",
    {"bce_loss": '''
        def bce_loss(input: ArrayLike, target: ArrayLike, reduction: str = "mean") -> np.ndarray:
            p = _as_float(input)
            y = np.asarray(target, dtype=p.dtype)
            return _reduce(-(y * np.log(p) + (1 - y) * np.log(1 - p)), reduction)
     '''})

bug("l08_bce_eps_clip", "losses.bce_loss", "hint_bce_clip_probability",
    "p clipped to [1e-7, 1 - 1e-7] (Keras style) instead of clamping each log at -100: "
    "p = 0, y = 1 costs 16.1 instead of 100.",
    {"bce_loss": '''
        def bce_loss(input: ArrayLike, target: ArrayLike, reduction: str = "mean") -> np.ndarray:
            p = _as_float(input)
            y = np.asarray(target, dtype=p.dtype)
            p = np.clip(p, 1e-7, 1 - 1e-7)
            return _reduce(-(y * np.log(p) + (1 - y) * np.log(1 - p)), reduction)
     '''})

bug("l09_bce_arguments_swapped", "losses.bce_loss", "hint_wrong_order",
    "Written as bce_loss(target, input): the probabilities are read from the second argument.",
    {"bce_loss": '''
        def bce_loss(input: ArrayLike, target: ArrayLike, reduction: str = "mean") -> np.ndarray:
            y, p = input, target  # (y_true, y_pred) as in scikit-learn
            p = _as_float(p)
            y = np.asarray(y, dtype=p.dtype)
            with np.errstate(divide="ignore"):
                log_p = np.maximum(np.log(p), -100)
                log_1mp = np.maximum(np.log1p(-p), -100)
            return _reduce(-(y * log_p + (1 - y) * log_1mp), reduction)
     '''})

bug("l10_bce_logits_naive_sigmoid", "losses.bce_with_logits", "hint_overflow",
    "ln of a naive σ(x) = 1/(1 + e^-x): σ rounds to 0 or 1 and the log gives inf for |x| ≳ 37.",
    {"bce_with_logits": '''
        def bce_with_logits(input: ArrayLike, target: ArrayLike, pos_weight: ArrayLike | None = None,
                            reduction: str = "mean") -> np.ndarray:
            x = _as_float(input)
            y = np.asarray(target, dtype=x.dtype)
            w = 1 if pos_weight is None else np.asarray(pos_weight, dtype=x.dtype)
            s = 1 / (1 + np.exp(-x))
            return _reduce(-(w * y * np.log(s) + (1 - y) * np.log(1 - s)), reduction)
     '''})

bug("l11_bce_logits_ignores_pos_weight", "losses.bce_with_logits", None,
    "pos_weight accepted but never used.",
    {"bce_with_logits": '''
        def bce_with_logits(input: ArrayLike, target: ArrayLike, pos_weight: ArrayLike | None = None,
                            reduction: str = "mean") -> np.ndarray:
            x = _as_float(input)
            y = np.asarray(target, dtype=x.dtype)
            tail = np.log1p(np.exp(-np.abs(x)))
            loss = y * (np.maximum(-x, 0) + tail) + (1 - y) * (np.maximum(x, 0) + tail)
            return _reduce(loss, reduction)
     '''})

bug("l12_bce_logits_pos_weight_both_terms", "losses.bce_with_logits", "hint_pos_weight_positive_term",
    "pos_weight multiplies the whole loss instead of the positive term only.",
    {"bce_with_logits": '''
        def bce_with_logits(input: ArrayLike, target: ArrayLike, pos_weight: ArrayLike | None = None,
                            reduction: str = "mean") -> np.ndarray:
            x = _as_float(input)
            y = np.asarray(target, dtype=x.dtype)
            w = 1 if pos_weight is None else np.asarray(pos_weight, dtype=x.dtype)
            tail = np.log1p(np.exp(-np.abs(x)))
            loss = w * (y * (np.maximum(-x, 0) + tail) + (1 - y) * (np.maximum(x, 0) + tail))
            return _reduce(loss, reduction)
     '''})

bug("l13_bce_logits_grad_no_mean_factor", "losses.bce_with_logits_grad", "hint_missing_mean_factor",
    "σ(x)·(w·y + 1 - y) - w·y for every reduction: the 1/N of 'mean' is missing.",
    {"bce_with_logits_grad": '''
        def bce_with_logits_grad(input: ArrayLike, target: ArrayLike, pos_weight: ArrayLike | None = None,
                                 reduction: str = "mean") -> np.ndarray:
            _check_reduction(reduction)
            x = _as_float(input)
            y = np.asarray(target, dtype=x.dtype)
            w = 1 if pos_weight is None else np.asarray(pos_weight, dtype=x.dtype)
            e = np.exp(-np.abs(x))
            sig = np.where(x >= 0, 1 / (1 + e), e / (1 + e))
            return np.asarray(sig * (w * y + 1 - y) - w * y)
     '''})

bug("l14_bce_logits_grad_mean_over_rows", "losses.bce_with_logits_grad", None,
    "'mean' divides by the number of rows len(x) instead of the number of elements (multilabel (N, L)).",
    {"bce_with_logits_grad": '''
        def bce_with_logits_grad(input: ArrayLike, target: ArrayLike, pos_weight: ArrayLike | None = None,
                                 reduction: str = "mean") -> np.ndarray:
            _check_reduction(reduction)
            x = _as_float(input)
            y = np.asarray(target, dtype=x.dtype)
            w = 1 if pos_weight is None else np.asarray(pos_weight, dtype=x.dtype)
            e = np.exp(-np.abs(x))
            sig = np.where(x >= 0, 1 / (1 + e), e / (1 + e))
            grad = sig * (w * y + 1 - y) - w * y
            return np.asarray(grad / (len(x) if x.ndim else 1) if reduction == "mean" else grad)
     '''})

bug("l15_cross_entropy_mean_over_nc", "losses.cross_entropy", "hint_mean_over_classes",
    "'mean' averages the N×C matrix -t·log_softmax(x): divides by N·C instead of N.",
    {"cross_entropy": '''
        def cross_entropy(input: ArrayLike, target: ArrayLike, reduction: str = "mean") -> np.ndarray:
            x = _as_float(input)
            target = np.asarray(target)
            if target.ndim == x.ndim - 1:
                t = np.eye(x.shape[-1], dtype=x.dtype)[target]
            else:
                t = target.astype(x.dtype)
            terms = -t * _log_softmax(x)
            if reduction == "mean":
                return np.asarray(np.mean(terms))
            return _reduce(np.sum(terms, axis=-1), reduction)
     '''})

bug("l16_cross_entropy_log_of_softmax", "losses.cross_entropy", "hint_log_of_softmax",
    "-log(softmax(x)[y]): inf where the softmax of the true class underflows to 0.",
    {"cross_entropy": '''
        def cross_entropy(input: ArrayLike, target: ArrayLike, reduction: str = "mean") -> np.ndarray:
            x = _as_float(input)
            target = np.asarray(target)
            e = np.exp(x - np.max(x, axis=-1, keepdims=True))
            p = e / np.sum(e, axis=-1, keepdims=True)
            if target.ndim == x.ndim - 1:
                loss = -np.log(p[np.arange(len(target)), target])
            else:
                loss = -np.sum(target.astype(x.dtype) * np.log(p), axis=-1)
            return _reduce(loss, reduction)
     '''})

bug("l17_cross_entropy_indices_only", "losses.cross_entropy", None,
    "Targets always read as class indices: probability targets (N, C) fail.",
    {"cross_entropy": '''
        def cross_entropy(input: ArrayLike, target: ArrayLike, reduction: str = "mean") -> np.ndarray:
            x = _as_float(input)
            target = np.asarray(target).astype(int)
            log_p = _log_softmax(x)
            return _reduce(-log_p[np.arange(len(target)), target], reduction)
     '''})

bug("l18_cross_entropy_grad_no_mean_factor", "losses.cross_entropy_grad", "hint_missing_mean_factor",
    "softmax(x) - onehot for every reduction: the 1/N of 'mean' is missing.",
    {"cross_entropy_grad": '''
        def cross_entropy_grad(input: ArrayLike, target: ArrayLike, reduction: str = "mean") -> np.ndarray:
            _check_reduction(reduction)
            x = _as_float(input)
            target = np.asarray(target)
            if target.ndim == x.ndim - 1:
                t = np.eye(x.shape[-1], dtype=x.dtype)[target]
            else:
                t = target.astype(x.dtype)
            p = np.exp(_log_softmax(x))
            return np.asarray(p * np.sum(t, axis=-1, keepdims=True) - t)
     '''})

bug("l19_cross_entropy_grad_softmax_axis0", "losses.cross_entropy_grad", None,
    "The softmax taken over axis 0 (the batch) instead of the classes.",
    {"cross_entropy_grad": '''
        def cross_entropy_grad(input: ArrayLike, target: ArrayLike, reduction: str = "mean") -> np.ndarray:
            _check_reduction(reduction)
            x = _as_float(input)
            target = np.asarray(target)
            if target.ndim == x.ndim - 1:
                t = np.eye(x.shape[-1], dtype=x.dtype)[target]
            else:
                t = target.astype(x.dtype)
            e = np.exp(x - np.max(x, axis=0, keepdims=True))
            p = e / np.sum(e, axis=0, keepdims=True)
            grad = p * np.sum(t, axis=-1, keepdims=True) - t
            return np.asarray(grad / len(x) if reduction == "mean" else grad)
     '''})

bug("l20_cross_entropy_float64", "losses.cross_entropy", "hint_dtype",
    "np.asarray(input, dtype=np.float64): float32 logits give a float64 loss.",
    {"cross_entropy": '''
        def cross_entropy(input: ArrayLike, target: ArrayLike, reduction: str = "mean") -> np.ndarray:
            x = np.asarray(input, dtype=np.float64)
            target = np.asarray(target)
            log_p = _log_softmax(x)
            if target.ndim == x.ndim - 1:
                loss = -log_p[np.arange(len(target)), target]
            else:
                loss = -np.sum(target.astype(x.dtype) * log_p, axis=-1)
            return _reduce(loss, reduction)
     '''})

# =============================================================================================
# metrics.py
# =============================================================================================

bug("m01_mse_sum", "metrics.mean_squared_error", None,
    "The sum of squared errors, not their mean.",
    {"mean_squared_error": '''
        def mean_squared_error(y_true: ArrayLike, y_pred: ArrayLike) -> np.floating:
            y_true, y_pred = _as_float(y_true), _as_float(y_pred)
            return np.sum((y_pred - y_true) ** 2)
     '''})

bug("m02_mae_with_squares", "metrics.mean_absolute_error", None,
    "MAE computed with squares (a copy of the MSE).",
    {"mean_absolute_error": '''
        def mean_absolute_error(y_true: ArrayLike, y_pred: ArrayLike) -> np.floating:
            y_true, y_pred = _as_float(y_true), _as_float(y_pred)
            return np.mean((y_pred - y_true) ** 2)
     '''})

bug("m03_r2_slide_ratio", "metrics.r2_score", "hint_r2_missing_one_minus",
    "The slide's erratum: R² = SS_res / SS_tot, without the 1 -.",
    {"r2_score": '''
        def r2_score(y_true: ArrayLike, y_pred: ArrayLike) -> np.floating:
            y_true, y_pred = _as_float(y_true), _as_float(y_pred)
            ss_res = np.sum((y_true - y_pred) ** 2)
            ss_tot = np.sum((y_true - np.mean(y_true)) ** 2)
            if ss_tot == 0:
                return np.asarray(ss_res == 0, dtype=ss_tot.dtype)
            return ss_res / ss_tot
     '''})

bug("m04_r2_no_force_finite", "metrics.r2_score", "hint_r2_constant",
    "No special case for a constant y_true: 1 - 0/0 = nan, 1 - x/0 = -inf (sklearn gives 1.0 / 0.0).",
    {"r2_score": '''
        def r2_score(y_true: ArrayLike, y_pred: ArrayLike) -> np.floating:
            y_true, y_pred = _as_float(y_true), _as_float(y_pred)
            ss_res = np.sum((y_true - y_pred) ** 2)
            ss_tot = np.sum((y_true - np.mean(y_true)) ** 2)
            return 1 - ss_res / ss_tot
     '''})

bug("m05_r2_mean_of_prediction", "metrics.r2_score", "hint_r2_mean_of_y_true",
    "SS_tot around the mean of y_pred instead of the mean of y_true.",
    {"r2_score": '''
        def r2_score(y_true: ArrayLike, y_pred: ArrayLike) -> np.floating:
            y_true, y_pred = _as_float(y_true), _as_float(y_pred)
            ss_res = np.sum((y_true - y_pred) ** 2)
            ss_tot = np.sum((y_true - np.mean(y_pred)) ** 2)
            if ss_tot == 0:
                return np.asarray(ss_res == 0, dtype=ss_tot.dtype)
            return 1 - ss_res / ss_tot
     '''})

bug("m06_accuracy_on_probabilities", "metrics.accuracy_score", None,
    "y_pred thresholded at 0.5 as if it held probabilities: wrong for class labels other than 0/1.",
    {"accuracy_score": '''
        def accuracy_score(y_true: ArrayLike, y_pred: ArrayLike) -> np.floating:
            y_pred = (np.asarray(y_pred) >= 0.5).astype(int)
            return np.mean(np.asarray(y_true) == y_pred)
     '''})

bug("m07_accuracy_count", "metrics.accuracy_score", None,
    "The number of correct predictions, not the fraction.",
    {"accuracy_score": '''
        def accuracy_score(y_true: ArrayLike, y_pred: ArrayLike) -> np.floating:
            return np.sum(np.asarray(y_true) == np.asarray(y_pred))
     '''})

bug("m08_confusion_transposed", "metrics.confusion_matrix", "hint_confusion_transposed",
    "Rows are the predictions and columns the truth (the transpose).",
    {"confusion_matrix": '''
        def confusion_matrix(y_true: ArrayLike, y_pred: ArrayLike, labels: ArrayLike | None = None) -> np.ndarray:
            y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
            labels = np.union1d(y_true, y_pred) if labels is None else np.asarray(labels)
            is_true = (y_true[:, None] == labels).astype(np.int64)
            is_pred = (y_pred[:, None] == labels).astype(np.int64)
            return is_pred.T @ is_true
     '''})

bug("m09_confusion_labels_unsorted", "metrics.confusion_matrix", None,
    "Labels in order of first appearance (dict.fromkeys) instead of sorted.",
    {"confusion_matrix": '''
        def confusion_matrix(y_true: ArrayLike, y_pred: ArrayLike, labels: ArrayLike | None = None) -> np.ndarray:
            y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
            if labels is None:
                labels = list(dict.fromkeys(y_true.tolist() + y_pred.tolist()))
            labels = np.asarray(labels)
            is_true = (y_true[:, None] == labels).astype(np.int64)
            is_pred = (y_pred[:, None] == labels).astype(np.int64)
            return is_true.T @ is_pred
     '''})

bug("m10_confusion_ignores_labels", "metrics.confusion_matrix", None,
    "The labels argument is ignored: always every label present, sorted.",
    {"confusion_matrix": '''
        def confusion_matrix(y_true: ArrayLike, y_pred: ArrayLike, labels: ArrayLike | None = None) -> np.ndarray:
            y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
            labels = np.union1d(y_true, y_pred)
            is_true = (y_true[:, None] == labels).astype(np.int64)
            is_pred = (y_pred[:, None] == labels).astype(np.int64)
            return is_true.T @ is_pred
     '''})

bug("m11_precision_is_recall", "metrics.precision_score", "hint_precision_recall_swapped",
    "precision_score divides by TP + FN (that is the recall).",
    {"precision_score": '''
        def precision_score(y_true: ArrayLike, y_pred: ArrayLike, average: str = "binary",
                            pos_label: int | str = 1, zero_division: float = 0.0) -> np.floating:
            tp, fp, fn = _class_counts(y_true, y_pred, average, pos_label)
            return _average(tp, tp + fn, tp + fn, average, zero_division)
     '''})

bug("m12_recall_is_precision", "metrics.recall_score", "hint_precision_recall_swapped",
    "recall_score divides by TP + FP (that is the precision).",
    {"recall_score": '''
        def recall_score(y_true: ArrayLike, y_pred: ArrayLike, average: str = "binary",
                         pos_label: int | str = 1, zero_division: float = 0.0) -> np.floating:
            tp, fp, fn = _class_counts(y_true, y_pred, average, pos_label)
            return _average(tp, tp + fp, tp + fn, average, zero_division)
     '''})

bug("m13_fbeta_beta_not_squared", "metrics.fbeta_score", "hint_beta_not_squared",
    "F_β with β where β² belongs: (1 + β)·P·R / (β·P + R).",
    {"fbeta_score": '''
        def fbeta_score(y_true: ArrayLike, y_pred: ArrayLike, beta: float, average: str = "binary",
                        pos_label: int | str = 1, zero_division: float = 0.0) -> np.floating:
            tp, fp, fn = _class_counts(y_true, y_pred, average, pos_label)
            numerator = (1 + beta) * tp
            return _average(numerator, numerator + beta * fn + fp, tp + fn, average, zero_division)
     '''})

bug("m14_f1_from_averaged_p_and_r", "metrics.f1_score", "hint_macro_f_of_means",
    "F1 = 2PR/(P + R) of the averaged precision and recall: right for 'binary' and 'micro', wrong "
    "for 'macro' and 'weighted' (the mean of the per-class F1).",
    {"f1_score": '''
        def f1_score(y_true: ArrayLike, y_pred: ArrayLike, average: str = "binary",
                     pos_label: int | str = 1, zero_division: float = 0.0) -> np.floating:
            p = precision_score(y_true, y_pred, average, pos_label, zero_division)
            r = recall_score(y_true, y_pred, average, pos_label, zero_division)
            return np.float64(2 * p * r / (p + r)) if p + r > 0 else np.float64(0.0)
     '''})

bug("m15_precision_ignores_zero_division", "metrics.precision_score", None,
    "zero_division ignored: a class never predicted always scores 0.",
    {"precision_score": '''
        def precision_score(y_true: ArrayLike, y_pred: ArrayLike, average: str = "binary",
                            pos_label: int | str = 1, zero_division: float = 0.0) -> np.floating:
            tp, fp, fn = _class_counts(y_true, y_pred, average, pos_label)
            return _average(tp, tp + fp, tp + fn, average, 0.0)
     '''})

bug("m16_recall_weighted_as_macro", "metrics.recall_score", "hint_weighted_support",
    "average='weighted' computed as the unweighted 'macro' mean.",
    {"recall_score": '''
        def recall_score(y_true: ArrayLike, y_pred: ArrayLike, average: str = "binary",
                         pos_label: int | str = 1, zero_division: float = 0.0) -> np.floating:
            tp, fp, fn = _class_counts(y_true, y_pred, average, pos_label)
            mode = "macro" if average == "weighted" else average
            return _average(tp, tp + fn, tp + fn, mode, zero_division)
     '''})

bug("m17_mae_float64", "metrics.mean_absolute_error", "hint_dtype",
    "np.asarray(..., dtype=float): float32 inputs give a float64 MAE.",
    {"mean_absolute_error": '''
        def mean_absolute_error(y_true: ArrayLike, y_pred: ArrayLike) -> np.floating:
            y_true, y_pred = np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float)
            return np.mean(np.abs(y_pred - y_true))
     '''})

# issue 14 (validity2): mistakes whose answers other models reproduced by coincidence on small inputs

bug("m51_fbeta_beta_squared_on_fp", "metrics.fbeta_score", "hint_beta_on_fp",
    "β² on the false positives instead of the false negatives: F_(1/β). On binary inputs it equals "
    "the F_β of the swapped arguments, which the argument-order hint used to name.",
    {"fbeta_score": '''
        def fbeta_score(y_true: ArrayLike, y_pred: ArrayLike, beta: float, average: str = "binary",
                        pos_label: int | str = 1, zero_division: float = 0.0) -> np.floating:
            tp, fp, fn = _class_counts(y_true, y_pred, average, pos_label)
            b2 = beta**2
            numerator = (1 + b2) * tp
            return _average(numerator, numerator + fn + b2 * fp, tp + fn, average, zero_division)
     '''})

bug("m52_precision_weighted_by_predictions", "metrics.precision_score", "hint_weighted_support",
    "average='weighted' weighs each class by its predicted count (TP + FP) instead of its support: "
    "that is the accuracy, equal to the weighted recall, so 'the other metric' used to be named.",
    {"precision_score": '''
        def precision_score(y_true: ArrayLike, y_pred: ArrayLike, average: str = "binary",
                            pos_label: int | str = 1, zero_division: float = 0.0) -> np.floating:
            tp, fp, fn = _class_counts(y_true, y_pred, average, pos_label)
            return _average(tp, tp + fp, tp + fp, average, zero_division)
     '''})

# =============================================================================================
# issue 14 (validity1): stability that counts and the edges of each input space
# =============================================================================================

ELU = '''
    def _elu(z, alpha=1.0):
        """A correct ELU for selu (only ``elu`` is buggy here)."""
        z = _as_float(z)
        return np.where(z > 0, z, alpha * np.expm1(np.minimum(z, 0)))
'''
ELU_GRAD = '''
    def _elu_grad(z, alpha=1.0):
        """A correct ELU derivative for selu_grad (only ``elu_grad`` is buggy here)."""
        z = _as_float(z)
        return np.where(z > 0, 1, alpha * np.exp(np.minimum(z, 0)))
'''
TANH = '''
    def _tanh(z):
        """A correct tanh for tanh_grad (only ``tanh`` is buggy here)."""
        return np.tanh(_as_float(z))
'''

bug("a26_sigmoid_naive", "activations.sigmoid", "hint_stable_abs",
    "The textbook σ(z) = 1/(1 + e^-z): right values (1/(1 + inf) = 0), but e^-z overflows for z < -709 "
    "and numpy raises a RuntimeWarning, which the stubs promise never happens.",
    {"sigmoid": '''
        def sigmoid(z: ArrayLike) -> np.ndarray:
            z = _as_float(z)
            return np.asarray(1 / (1 + np.exp(-z)))
     ''', **SIGMOID_CALLERS}, SIGMOID)

bug("a27_sigmoid_grad_naive_sigmoid", "activations.sigmoid_grad", "hint_stable_abs",
    "σ'(z) = σ(z)(1 - σ(z)) with its own naive σ = 1/(1 + e^-z): overflow warning for z < -709.",
    {"sigmoid_grad": '''
        def sigmoid_grad(z: ArrayLike) -> np.ndarray:
            z = _as_float(z)
            s = 1 / (1 + np.exp(-z))
            return np.asarray(s * (1 - s))
     '''})

bug("a28_tanh_via_naive_sigmoid", "activations.tanh", "hint_stable_abs",
    "The lecture's identity tanh = 2σ(2z) - 1 with a naive σ: right values, overflow warning for z < -354.",
    {"tanh": '''
        def tanh(z: ArrayLike) -> np.ndarray:
            z = _as_float(z)
            return np.asarray(2 / (1 + np.exp(-2 * z)) - 1)
     ''', "tanh_grad": calls("tanh", "_tanh")}, TANH)

bug("a29_elu_where_overflows", "activations.elu", "hint_stable_min0",
    "ELU with np.where(z > 0, z, α(e^z - 1)): right values, but e^z of the large positive z (computed, "
    "then discarded) overflows with a RuntimeWarning.",
    {"elu": '''
        def elu(z: ArrayLike, alpha: float = 1.0) -> np.ndarray:
            z = _as_float(z)
            return np.where(z > 0, z, alpha * (np.exp(z) - 1))
     ''', "selu": calls("elu", "_elu")}, ELU)

bug("a30_elu_grad_where_overflows", "activations.elu_grad", "hint_stable_min0",
    "ELU's derivative as np.where(z > 0, 1, αe^z): e^z overflows in the discarded branch (RuntimeWarning).",
    {"elu_grad": '''
        def elu_grad(z: ArrayLike, alpha: float = 1.0) -> np.ndarray:
            z = _as_float(z)
            return np.where(z > 0, 1, alpha * np.exp(z)).astype(z.dtype)
     ''', "selu_grad": calls("elu_grad", "_elu_grad")}, ELU_GRAD)

bug("a31_selu_where_overflows", "activations.selu", "hint_stable_min0",
    "SELU written out with np.where and e^z of every z: overflow warning in the discarded branch.",
    {"selu": '''
        def selu(z: ArrayLike) -> np.ndarray:
            z = _as_float(z)
            return np.asarray(SELU_LAMBDA * np.where(z > 0, z, SELU_ALPHA * (np.exp(z) - 1)))
     '''})

bug("a32_selu_seven_digits", "activations.selu", "hint_selu_constants",
    "SELU with λ and α cut to 7 significant digits (1.050701, 1.673263): within rtol 1e-6 everywhere, "
    "but the contract fixes the full-precision constants.",
    {"selu": '''
        def selu(z: ArrayLike) -> np.ndarray:
            return np.asarray(1.050701 * elu(z, 1.673263))
     '''})

bug("a33_swish_naive", "activations.swish", "hint_stable_abs",
    "swish = z / (1 + e^(-βz)): right values, overflow warning for βz < -709.",
    {"swish": '''
        def swish(z: ArrayLike, beta: float = 1.0) -> np.ndarray:
            z = _as_float(z)
            return np.asarray(z / (1 + np.exp(-beta * z)))
     '''})

bug("a34_swish_grad_naive", "activations.swish_grad", "hint_stable_abs",
    "Swish's derivative with its own naive σ(βz) = 1/(1 + e^(-βz)): overflow warning for βz < -709.",
    {"swish_grad": '''
        def swish_grad(z: ArrayLike, beta: float = 1.0) -> np.ndarray:
            z = _as_float(z)
            s = 1 / (1 + np.exp(-beta * z))
            return np.asarray(s + beta * z * s * (1 - s))
     '''})

bug("a35_softplus_threshold_ge", "activations.softplus", None,
    "The linear branch where βz >= threshold (torch: strictly >): z instead of ln(1 + e^(βz))/β exactly "
    "at the threshold (visible for small thresholds).",
    {"softplus": '''
        def softplus(z: ArrayLike, beta: float = 1.0, threshold: float = 20.0) -> np.ndarray:
            z = _as_float(z)
            bz = beta * z
            smooth = (np.maximum(bz, 0) + np.log1p(np.exp(-np.abs(bz)))) / beta
            return np.where(bz >= threshold, z, smooth)
     '''})

bug("a36_softplus_threshold_in_z_units", "activations.softplus", None,
    "The threshold compared with z instead of βz: the wrong branch for β ≠ 1 between threshold/β and threshold.",
    {"softplus": '''
        def softplus(z: ArrayLike, beta: float = 1.0, threshold: float = 20.0) -> np.ndarray:
            z = _as_float(z)
            bz = beta * z
            smooth = (np.maximum(bz, 0) + np.log1p(np.exp(-np.abs(bz)))) / beta
            return np.where(z > threshold, z, smooth)
     '''})

bug("a37_softplus_grad_threshold_in_z_units", "activations.softplus_grad", None,
    "softplus' with the threshold compared with z instead of βz: σ(βz) where 1 is due (β > 1) and the reverse.",
    {"softplus_grad": '''
        def softplus_grad(z: ArrayLike, beta: float = 1.0, threshold: float = 20.0) -> np.ndarray:
            z = _as_float(z)
            return np.where(z > threshold, 1, sigmoid(beta * z)).astype(z.dtype)
     '''})

bug("a38_leaky_relu_float16_upcast", "activations.leaky_relu", "hint_dtype",
    "Only float32 and float64 are kept: float16 comes back as float64.",
    {"leaky_relu": '''
        def leaky_relu(z: ArrayLike, alpha: float = 0.01) -> np.ndarray:
            z = np.asarray(z)
            if z.dtype not in (np.float32, np.float64):
                z = z.astype(np.float64)
            return np.asarray(np.maximum(alpha * z, z))
     '''})

bug("a39_linear_grad_breaks_on_0d", "activations.linear_grad", None,
    "np.ones(len(z)): a 0-d input raises TypeError (len() of unsized object), a 2-D one gets the wrong shape.",
    {"linear_grad": '''
        def linear_grad(z: ArrayLike) -> np.ndarray:
            z = _as_float(z)
            return np.ones(len(z), dtype=z.dtype).reshape(z.shape) if z.ndim == 1 else np.ones(len(z), dtype=z.dtype)
     '''})

bug("a40_log_softmax_unshifted_logsumexp", "activations.log_softmax", "hint_log_of_softmax",
    "log_softmax = z - log Σ e^z without the max-shift: Σ e^z overflows to inf for z ≥ 710 (-inf, nan).",
    {"log_softmax": '''
        def log_softmax(z: ArrayLike, axis: int = -1) -> np.ndarray:
            z = _as_float(z)
            return np.asarray(z - np.log(np.sum(np.exp(z), axis=axis, keepdims=True)))
     '''})

bug("a41_softmax_jacobian_empty_batch", "activations.softmax_jacobian", None,
    "One Jacobian per row, stacked with np.stack: an empty batch (0, C) raises 'need at least one array'.",
    {"softmax_jacobian": '''
        def softmax_jacobian(z: ArrayLike) -> np.ndarray:
            z = np.atleast_1d(_as_float(z))
            s = softmax(z, axis=-1)
            rows = [np.diag(r) - np.outer(r, r) for r in s.reshape(-1, s.shape[-1])]
            return np.stack(rows).reshape(s.shape + (s.shape[-1],))
     '''})

bug("a42_relu_tuple_not_array_like", "activations.relu", None,
    "Only lists are converted (isinstance(z, list)): a tuple input raises, numbers pass by luck.",
    {"relu": '''
        def relu(z: ArrayLike) -> np.ndarray:
            if isinstance(z, list) or np.isscalar(z):
                z = np.asarray(z)
            z = z if np.issubdtype(z.dtype, np.floating) else z.astype(np.float64)
            return np.asarray(np.maximum(z, 0))
     '''})

bug("a43_softmax_modifies_input", "activations.softmax", None,
    "The max-shift done in place on a float array (z -= max): the caller's logits change.",
    {"softmax": '''
        def softmax(z: ArrayLike, axis: int = -1) -> np.ndarray:
            z = _as_float(z)
            if z.size == 0:
                return z.copy()
            with np.errstate(over="ignore"):
                z -= np.max(z, axis=axis, keepdims=True)
            e = np.exp(z)
            return np.asarray(e / np.sum(e, axis=axis, keepdims=True))
     ''', "softmax_jacobian": calls("softmax", "_softmax")}, SOFTMAX)

bug("a44_tanh_grad_float16_upcast", "activations.tanh_grad", "hint_dtype",
    "1 - tanh(z)² computed with np.float64(1): float16 (and float32) inputs come back as float64... "
    "NEP 50 keeps float32 with a Python 1, not with a numpy float64.",
    {"tanh_grad": '''
        def tanh_grad(z: ArrayLike) -> np.ndarray:
            t = tanh(z)
            one = np.float64(1.0) if t.dtype == np.float16 else 1
            return np.asarray(one - t**2)
     '''})

bug("l21_bce_log_clamp_warns", "losses.bce_loss", "hint_stable_log_clamp",
    "max(log p, -100) without np.errstate: right values, but log(0) raises a divide-by-zero RuntimeWarning "
    "at p = 0 and p = 1.",
    {"bce_loss": '''
        def bce_loss(input: ArrayLike, target: ArrayLike, reduction: str = "mean") -> np.ndarray:
            p = _as_float(input)
            y = np.asarray(target, dtype=p.dtype)
            log_p = np.maximum(np.log(p), -100)
            log_1mp = np.maximum(np.log1p(-p), -100)
            return _reduce(-(y * log_p + (1 - y) * log_1mp), reduction)
     '''})

bug("l22_bce_logits_grad_naive_sigmoid", "losses.bce_with_logits_grad", "hint_stable_abs",
    "σ(x) as 1/(1 + e^-x) in the gradient: right values, overflow warning for x < -709.",
    {"bce_with_logits_grad": '''
        def bce_with_logits_grad(input: ArrayLike, target: ArrayLike, pos_weight: ArrayLike | None = None,
                                 reduction: str = "mean") -> np.ndarray:
            _check_reduction(reduction)
            x = _as_float(input)
            y = np.asarray(target, dtype=x.dtype)
            w = 1 if pos_weight is None else np.asarray(pos_weight, dtype=x.dtype)
            sig = 1 / (1 + np.exp(-x))
            grad = sig * (w * y + 1 - y) - w * y
            return np.asarray(grad / grad.size if reduction == "mean" else grad)
     '''})

bug("l23_cross_entropy_grad_unshifted_softmax", "losses.cross_entropy_grad", "hint_softmax_shift",
    "softmax(x) = e^x / Σ e^x without the max-shift in the gradient: nan for logits ≥ 710.",
    {"cross_entropy_grad": '''
        def cross_entropy_grad(input: ArrayLike, target: ArrayLike, reduction: str = "mean") -> np.ndarray:
            _check_reduction(reduction)
            x = _as_float(input)
            target = np.asarray(target)
            t = np.eye(x.shape[-1], dtype=x.dtype)[target] if target.ndim == x.ndim - 1 else target.astype(x.dtype)
            e = np.exp(x)
            p = e / np.sum(e, axis=-1, keepdims=True)
            grad = p * np.sum(t, axis=-1, keepdims=True) - t
            return np.asarray(grad / len(x) if reduction == "mean" else grad)
     '''})

bug("l24_mse_loss_unsigned_wraps", "losses.mse_loss", None,
    "The difference taken before the float conversion: uint8 - uint8 wraps around (1 - 3 = 254), "
    "bool - bool raises.",
    {"mse_loss": '''
        def mse_loss(input: ArrayLike, target: ArrayLike, reduction: str = "mean") -> np.ndarray:
            d = np.asarray(input) - np.asarray(target)
            d = d if np.issubdtype(d.dtype, np.floating) else d.astype(np.float64)
            return _reduce(d ** 2, reduction)
     '''})

bug("l25_mse_grad_bool_subtract", "losses.mse_loss_grad", None,
    "Only integer kinds 'i' converted to float: bool inputs raise (numpy has no boolean subtract) and "
    "unsigned ones wrap around.",
    {"mse_loss_grad": '''
        def mse_loss_grad(input: ArrayLike, target: ArrayLike, reduction: str = "mean") -> np.ndarray:
            _check_reduction(reduction)
            x, y = np.asarray(input), np.asarray(target)
            x = x.astype(np.float64) if x.dtype.kind == "i" else x
            y = y.astype(np.float64) if y.dtype.kind == "i" else y
            grad = 2 * (x - y)
            return np.asarray(grad / grad.size if reduction == "mean" else grad)
     '''})

bug("l26_gaussian_nll_float16_upcast", "losses.gaussian_nll", "hint_dtype",
    "ln(2π·var) with np.float64(np.pi)·var: a float16 input gives float64 (float32 stays float32... "
    "only because it is handled apart).",
    {"gaussian_nll": '''
        def gaussian_nll(input: ArrayLike, target: ArrayLike, var: ArrayLike = 1.0, reduction: str = "mean") -> np.ndarray:
            x = _as_float(input)
            if x.dtype == np.float16:
                x = x.astype(np.float64)
            y = np.asarray(target, dtype=x.dtype)
            var = np.asarray(var, dtype=x.dtype)
            if var.ndim and var.shape == x.shape[:-1]:
                var = var[..., None]
            d = y - x
            return _reduce(0.5 * (np.log(2 * np.pi * var) + d * (d / var)), reduction)
     '''})

bug("l27_mse_loss_grad_in_place", "losses.mse_loss_grad", None,
    "input -= target to save memory: the caller's float input array is overwritten.",
    {"mse_loss_grad": '''
        def mse_loss_grad(input: ArrayLike, target: ArrayLike, reduction: str = "mean") -> np.ndarray:
            _check_reduction(reduction)
            x = _as_float(input)
            x -= np.asarray(target, dtype=x.dtype)
            grad = 2 * x
            return np.asarray(grad / grad.size if reduction == "mean" else grad)
     '''})

bug("l28_cross_entropy_float16_upcast", "losses.cross_entropy", "hint_dtype",
    "Logits converted with x.astype(float) unless float32: float16 logits give a float64 loss.",
    {"cross_entropy": '''
        def cross_entropy(input: ArrayLike, target: ArrayLike, reduction: str = "mean") -> np.ndarray:
            x = np.asarray(input)
            x = x if x.dtype == np.float32 else x.astype(float)
            target = np.asarray(target)
            log_p = _log_softmax(x)
            if target.ndim == x.ndim - 1:
                loss = -log_p[np.arange(len(target)), target]
            else:
                loss = -np.sum(target.astype(x.dtype) * log_p, axis=-1)
            return _reduce(loss, reduction)
     '''})

bug("m18_mse_unsigned_wraps", "metrics.mean_squared_error", None,
    "y_pred - y_true before any float conversion: uint8 wraps around, bool - bool raises.",
    {"mean_squared_error": '''
        def mean_squared_error(y_true: ArrayLike, y_pred: ArrayLike) -> np.floating:
            d = np.asarray(y_pred) - np.asarray(y_true)
            return np.mean(d.astype(np.float64) ** 2) if d.dtype.kind != "f" else np.mean(d ** 2)
     '''})

bug("m19_r2_tiny_scale_constant", "metrics.r2_score", None,
    "y_true called constant when SS_tot < 1e-12: data on a tiny scale (1e-9) gets 0.0 or 1.0.",
    {"r2_score": '''
        def r2_score(y_true: ArrayLike, y_pred: ArrayLike) -> np.floating:
            y_true, y_pred = _as_float(y_true), _as_float(y_pred)
            if len(y_true) < 2:
                return np.float64(np.nan)
            ss_res = np.sum((y_true - y_pred) ** 2)
            ss_tot = np.sum((y_true - np.mean(y_true)) ** 2)
            if ss_tot < 1e-12:
                return np.asarray(ss_res < 1e-12, dtype=ss_tot.dtype)
            return 1 - ss_res / ss_tot
     '''})

bug("m20_r2_variance_by_moments", "metrics.r2_score", None,
    "SS_tot = N·(E[y²] - E[y]²): catastrophic cancellation for data with a large offset (1e8 + small spread).",
    {"r2_score": '''
        def r2_score(y_true: ArrayLike, y_pred: ArrayLike) -> np.floating:
            y_true, y_pred = _as_float(y_true), _as_float(y_pred)
            if len(y_true) < 2:
                return np.float64(np.nan)
            ss_res = np.sum((y_true - y_pred) ** 2)
            ss_tot = len(y_true) * (np.mean(y_true ** 2) - np.mean(y_true) ** 2)
            if ss_tot == 0:
                return np.asarray(ss_res == 0, dtype=y_true.dtype)
            return 1 - ss_res / ss_tot
     '''})

bug("m21_mae_writes_into_list", "metrics.mean_absolute_error", None,
    "A list y_true reused as the buffer of absolute errors: the caller's list is overwritten.",
    {"mean_absolute_error": '''
        def mean_absolute_error(y_true: ArrayLike, y_pred: ArrayLike) -> np.floating:
            if isinstance(y_true, list):
                pred = np.asarray(y_pred, dtype=np.float64)
                for i, value in enumerate(y_true):
                    y_true[i] = abs(float(value) - float(pred[i]))
                return np.mean(np.asarray(y_true, dtype=np.float64))
            y_true, y_pred = _as_float(y_true), _as_float(y_pred)
            return np.mean(np.abs(y_pred - y_true))
     '''})

bug("m22_mae_tuple_not_array_like", "metrics.mean_absolute_error", None,
    "Only lists are converted with np.asarray: tuples raise TypeError in tuple - tuple.",
    {"mean_absolute_error": '''
        def mean_absolute_error(y_true: ArrayLike, y_pred: ArrayLike) -> np.floating:
            if isinstance(y_true, list):
                y_true = np.asarray(y_true)
            if isinstance(y_pred, list):
                y_pred = np.asarray(y_pred)
            d = y_pred - y_true
            return np.mean(np.abs(d if d.dtype.kind == "f" else d.astype(np.float64)))
     '''})

bug("m23_mse_float16_upcast", "metrics.mean_squared_error", "hint_dtype",
    "float32 kept, every other dtype (float16 included) converted to float64.",
    {"mean_squared_error": '''
        def mean_squared_error(y_true: ArrayLike, y_pred: ArrayLike) -> np.floating:
            y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
            if not (y_true.dtype == np.float32 and y_pred.dtype == np.float32):
                y_true, y_pred = y_true.astype(np.float64), y_pred.astype(np.float64)
            return np.mean((y_pred - y_true) ** 2)
     '''})

bug("m24_mae_unsigned_wraps", "metrics.mean_absolute_error", None,
    "Only signed integers converted to float (kind 'i'): uint8 - uint8 wraps around, bool - bool raises.",
    {"mean_absolute_error": '''
        def mean_absolute_error(y_true: ArrayLike, y_pred: ArrayLike) -> np.floating:
            y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
            y_true = y_true.astype(np.float64) if y_true.dtype.kind == "i" else y_true
            y_pred = y_pred.astype(np.float64) if y_pred.dtype.kind == "i" else y_pred
            return np.mean(np.abs(y_pred - y_true))
     '''})

bug("a45_relu_grad_empty_crash", "activations.relu_grad", None,
    "A shortcut for all-negative inputs through z.max(): an empty input raises ValueError "
    "(zero-size array to reduction operation maximum).",
    {"relu_grad": '''
        def relu_grad(z: ArrayLike) -> np.ndarray:
            z = _as_float(z)
            if z.max() <= 0:
                return np.zeros_like(z)
            return np.asarray(z > 0, dtype=z.dtype)
     '''})

bug("a46_log_softmax_float16_upcast", "activations.log_softmax", "hint_dtype",
    "The log-sum-exp accumulated with dtype=np.float64: float16 (and float32) logits give float64 results "
    "for float16 only, where the float32 branch was special-cased.",
    {"log_softmax": '''
        def log_softmax(z: ArrayLike, axis: int = -1) -> np.ndarray:
            z = _as_float(z)
            if z.size == 0:
                return z.copy()
            if z.dtype == np.float16:
                z = z.astype(np.float64)
            with np.errstate(over="ignore"):
                shifted = z - np.max(z, axis=axis, keepdims=True)
            return np.asarray(shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True)))
     '''})

bug("l29_bce_logits_naive_softplus", "losses.bce_with_logits", "hint_overflow",
    "-ln σ(x) = ln(1 + e^-x) and -ln(1 - σ(x)) = ln(1 + e^x) written naively: e^±x overflows, the loss is "
    "inf where the truth is |x| (x = ±1e4).",
    {"bce_with_logits": '''
        def bce_with_logits(input: ArrayLike, target: ArrayLike, pos_weight: ArrayLike | None = None,
                            reduction: str = "mean") -> np.ndarray:
            x = _as_float(input)
            y = np.asarray(target, dtype=x.dtype)
            w = 1 if pos_weight is None else np.asarray(pos_weight, dtype=x.dtype)
            loss = w * y * np.log1p(np.exp(-x)) + (1 - y) * np.log1p(np.exp(x))
            return _reduce(loss, reduction)
     '''})

bug("m25_accuracy_lists_only", "metrics.accuracy_score", None,
    "Only lists converted with np.asarray: for tuples y_true == y_pred compares the tuples as a whole.",
    {"accuracy_score": '''
        def accuracy_score(y_true: ArrayLike, y_pred: ArrayLike) -> np.floating:
            if isinstance(y_true, list):
                y_true = np.asarray(y_true)
            if isinstance(y_pred, list):
                y_pred = np.asarray(y_pred)
            return np.mean(y_true == y_pred)
     '''})

bug("m26_r2_bool_subtract", "metrics.r2_score", None,
    "Integers converted to float (kinds 'i' and 'u') but not bools: bool y_pred - bool y_true raises.",
    {"r2_score": '''
        def r2_score(y_true: ArrayLike, y_pred: ArrayLike) -> np.floating:
            y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
            y_true = y_true.astype(np.float64) if y_true.dtype.kind in "iu" else y_true
            y_pred = y_pred.astype(np.float64) if y_pred.dtype.kind in "iu" else y_pred
            if len(y_true) < 2:
                return np.float64(np.nan)
            ss_res = np.sum((y_true - y_pred) ** 2)
            ss_tot = np.sum((y_true - np.mean(y_true)) ** 2)
            if ss_tot == 0:
                return np.asarray(ss_res == 0, dtype=np.float64)
            return 1 - ss_res / ss_tot
     '''})

bug("l30_gaussian_nll_modifies_target", "losses.gaussian_nll", None,
    "The residual computed in place in the target (target -= input) when the target is a float array.",
    {"gaussian_nll": '''
        def gaussian_nll(input: ArrayLike, target: ArrayLike, var: ArrayLike = 1.0, reduction: str = "mean") -> np.ndarray:
            x = _as_float(input)
            d = target if isinstance(target, np.ndarray) and target.dtype == x.dtype else np.asarray(target, dtype=x.dtype)
            d -= x
            var = np.asarray(var, dtype=x.dtype)
            if var.ndim and var.shape == x.shape[:-1]:
                var = var[..., None]
            return _reduce(0.5 * (np.log(2 * np.pi * var) + d * (d / var)), reduction)
     '''})

"""The language tables: English (the kit's own words) and Portuguese (the course's language).

``EN`` has every key; ``PT`` the same keys in Portuguese, with the lecture's terms
(``../lecture.md`` is the glossary). ``language_of`` accepts locale names (``pt_BR``, ``pt-PT``,
``en_US.UTF-8``) and refuses an unknown language with the list of known ones.
"""

from __future__ import annotations

EN: dict[str, str] = {
    # notebooks (check() in a kernel)
    "notebook_unknown": "{function}: unknown to the kit (no checks).",
    "notebook_no_checks": "{function}: no checks for this function yet.",
    "notebook_public": "public checks",
    "notebook_all": "all checks",
    "notebook_score": "{mark} {function}: {score} / {max} points ({kind})",
    "notebook_same_problem": "(the same problem as above)",
    "notebook_printed": "(your function printed {count} characters during the checks; left out)",
    "notebook_no_such_check": "{function}: the kit has no check named {check!r} (regenerate the notebooks with `dlgrade assign`)",
    "selfcheck_title": "Public checks on {path}",
    "selfcheck_summary": "{passed} of {total} public checks pass ({score} / {max} points). More checks run when you submit (numerical stability at extreme inputs, consistency with PyTorch and scikit-learn, other parameter values).",
    # reports
    "hint_label": "Hint: {hint}",
    "summary_total": "Total: {score} / {max}",
    "summary_sandbox": "Sandbox: {level}",
    "summary_note": "Note: {note}",
    "summary_output": "Output printed by {module}.py (truncated):",
    "table_title": "Score {score} / {max}",
    "column_function": "function",
    "column_score": "score",
    "column_failed": "failed checks",
    "failures_title": "Failures",
    "isolation_bubblewrap": "bubblewrap: bubblewrap namespaces (mount, pid, network) + unprivileged uid + resource limits",
    "isolation_uid": "uid: unprivileged uid + chroot to its scratch folder + network and IPC namespaces where allowed + resource limits (no mount namespace available)",
    "isolation_uid_no_chroot": "uid: unprivileged uid + network and IPC namespaces where allowed + resource limits; chroot refused: files readable by everyone stay readable",
    "isolation_none": "none: NOT ISOLATED: the grader is not root, so the worker runs as the grader's own user with resource limits only",
    # what a call produced instead of a value
    "call_error": "raised {text}",
    "call_timeout": "did not return before the deadline (infinite loop?)",
    "call_crashed": "crashed the worker process ({reason})",
    "call_budget": "was not run: the submission's time budget is used up",
    "invalid_type": "returned an object of type {type}",
    "invalid_not_numeric": "returned a {kind} that is not numeric",
    "invalid_dtype": "returned an array of dtype {dtype}",
    "invalid_size": "returned an array of {size} bytes",
    "invalid_unreadable": "the answer could not be read: {reason}",
    "exit_signal": "killed by signal {signal}",
    "exit_status": "it exited with status {status}",
    "exit_closed": "it closed its channel",
    "exit_malformed": "it sent a malformed answer: {reason}",
    "exit_flood": "it printed more than {mib} MiB (endless printing?) and was stopped",
    "args_not_sent": "the arguments could not be sent: {reason}",
    "no_such_function": "{module} has no function {function}",
    # what a check compared
    "fd_problem": "{problem} (central difference of {source})",
    "fd_own": "your {function}",
    "fd_reference": "the correct {function}; your {function} is wrong on this input",
    "lecture_problem": "{problem}, compared with {source}",
    "lecture_own": "your bce_loss(sigmoid(x), y)",
    "lecture_reference": "bce_loss(sigmoid(x), y) (the correct one: your bce_loss is wrong on this input)",
    "saturation_note": "{detail} (sigmoid + bce_loss gives {saturated} here: it saturates at the clamp; bce_with_logits must not)",
    "check_crashed": "the grader could not run this check ({error})",
    "not_banked": "could not be checked here on the input {input}: it needs the correct values of a function your code gets wrong (see the other failures). Fix those first; until then it counts as failed here, while the grader may still give these points.",
    # reading the submission
    "missing_module": "{module}.py (or {module}.ipynb) is missing from the submission",
    "unreadable_notebook": "{name} is not a readable notebook ({error})",
    "too_large": "{name} is larger than {mib} MiB",
    "not_utf8": "{name} is not UTF-8 text (byte {byte})",
    "unreadable_file": "{name} could not be read: {error}",
    "unreadable_zip": "{name} is not a readable zip: {error}",
    "does_not_exist": "{path} does not exist",
    "graded_files": "graded {files}",
    "ignored_files": "ignored files: {files}",
    "not_searched": "not searched (not the student's own folders): {folders}",
    # comparisons
    "wrong_shape": "returned shape {received}, expected shape {expected}",
    "wrong_dtype": "returned dtype {received}, expected dtype {expected}",
    "wrong_type": "returned a {received}, expected a numpy.ndarray (or numpy scalar)",
    "nan_mismatch": "returned nan where the correct result is a number (or the reverse)",
    "wrong_value": "at index {index}: received {received}, expected {expected}",
    "not_finite": "returned {received} where the correct result is finite ({expected})",
    "modified_input": "modified its input argument #{index} in place; compute a new array instead",
    "failing_call": "for {call}: {problem}",
    "warnings_note": "note: numpy warned {warnings}",
    # submission level
    "missing_function": "{function} is not defined in {module}.py",
    "module_unavailable": "{module}.py could not be graded: {problem}",
    "import_failed": "importing {module}.py failed: {problem}",
    "not_implemented": "not implemented yet (the stub raises NotImplementedError)",
    "isolation": "sandbox: {level}",
    # hints: the slides' errata first
    "hint_tanh_grad_sigmoid": "Looks like 1 - σ(z)², the slide's typo: the derivative of tanh is 1 - tanh(z)².",
    "hint_r2_missing_one_minus": "Looks like SS_res / SS_tot (the slide's formula): R² = 1 - SS_res / SS_tot.",
    "hint_swish_grad_slide": "Looks like the slide's garbled Swish derivative: use σ(βz) + βz·σ(βz)·(1 - σ(βz)).",
    "hint_elu_grad_drop_alpha": "Looks like α(e^z - 1) for z ≤ 0: the slide's derivative is α(e^z - 1) + α = αe^z; don't drop the + α.",
    "hint_softplus_grad_beta": "Looks like σ(z): with β ≠ 1 the derivative of softplus is σ(βz) (and exactly 1 where βz > threshold).",
    "hint_softplus_threshold": "Check the threshold: softplus returns z itself (derivative 1) exactly where β·z > threshold.",
    "hint_overflow": "A result overflowed to inf/nan at large |z|: rewrite the formula so that exp only sees non-positive numbers (e.g. exp(-|z|)).",
    "hint_softmax_shift": "softmax/log_softmax overflowed: subtract the maximum along the axis before exponentiating (the max-shift).",
    "hint_log_of_softmax": "log(softmax(z)) gives -inf where softmax underflows to 0: compute z - max - log(Σ exp(z - max)) directly.",
    "hint_log_zero": "log(0) appeared: clamp each log at -100 as torch's binary_cross_entropy does (and 0·log 0 must count as 0).",
    "hint_mean_over_classes": "The mean seems to divide by N·C: cross-entropy's 'mean' averages over the N samples only.",
    "hint_missing_mean_factor": "Off by the number of elements: for reduction='mean' the gradient carries the factor 1/N.",
    "hint_precision_recall_swapped": "This is the other metric: precision = TP / (TP + FP), recall = TP / (TP + FN).",
    "hint_beta_not_squared": "Looks like β instead of β²: F_β = (1 + β²)·P·R / (β²·P + R).",
    "hint_relu_kink": "Check the value at exactly z = 0: the contract fixes relu'(0) = 0, leaky_relu'(0) = α, elu'(0) = α and selu'(0) = λα (the z ≤ 0 branch, as the lecture and torch).",
    "hint_selu_constants": "Use λ and α to full precision: λ = 1.0507009873554804934193349852946, α = 1.6732632423543772848170429916717.",
    "hint_dtype": "Keep the input's floating dtype: float32 in, float32 out (int and bool in, float64 out).",
    "hint_reduction": "Check the reduction: 'mean' averages, 'sum' adds, 'none' returns the elementwise losses.",
    "hint_gaussian_nll_full": "Looks like a term is missing: the full Gaussian NLL is ½·ln(2π·var) + ½·(target - input)²/var; keep the constant ½·ln 2π and the ½ on both terms.",
    "hint_mse_grad_factor_two": "Looks like (input - target) without the factor 2: d/dx (x - t)² = 2·(x - t).",
    "hint_grad_sign": "The gradient has the wrong sign: differentiate with respect to input (2·(input - target), σ(x) - y, softmax(x) - onehot(y)).",
    "hint_bce_clip_probability": "Looks like p was clipped to [ε, 1 - ε] (e.g. ε = 1e-7): the contract clamps each log at -100 instead, as torch does (p = 0 with y = 1 costs 100).",
    "hint_logits_via_sigmoid": "This looks like bce_loss(sigmoid(x)): σ(x) rounds to 0 or 1 for large |x| and the loss saturates at the clamp. Use -ln σ(x) = ln(1 + e^(-x)) = max(-x, 0) + ln(1 + e^(-|x|)), never forming σ(x).",
    "hint_pos_weight_positive_term": "pos_weight multiplies only the positive term: -[w·y·ln σ(x) + (1 - y)·ln(1 - σ(x))].",
    "hint_pos_weight_grad": "With pos_weight the gradient is σ(x)·(w·y + 1 - y) - w·y; σ(x) - y holds only for w = 1.",
    "hint_confusion_transposed": "Rows and columns are swapped: C[i, j] counts the samples whose TRUE class is labels[i] and whose PREDICTED class is labels[j].",
    "hint_r2_mean_of_y_true": "SS_tot uses the mean of y_true, not of y_pred: SS_tot = Σ(y - ȳ)² with ȳ = mean(y_true).",
    "hint_macro_f_of_means": "This is the F-score of the averaged precision and recall: 'macro' averages the per-class F-scores ('weighted' weights them by support).",
    "hint_r2_constant": "For a constant y_true, SS_tot = 0: return 1.0 if the prediction is perfect and 0.0 otherwise (scikit-learn's convention), not nan or inf.",
    "hint_zero_division": "A denominator is 0 here (no predicted positives for precision, no true samples for recall): return zero_division instead of dividing.",
    "hint_f_zero_division": "Compute the F-score from the counts, F_β = (1 + β²)·TP / ((1 + β²)·TP + β²·FN + FP): it is zero_division only when TP + FP + FN = 0, even where precision or recall alone is 0/0.",
    "hint_wrong_order": "Argument order: losses take (input, target) like PyTorch; metrics take (y_true, y_pred) like scikit-learn.",
}


PT: dict[str, str] = {
    "notebook_unknown": "{function}: função desconhecida para o kit (nenhuma verificação).",
    "notebook_no_checks": "{function}: ainda não há verificações para esta função.",
    "notebook_public": "verificações públicas",
    "notebook_all": "todas as verificações",
    "notebook_score": "{mark} {function}: {score} / {max} pontos ({kind})",
    "notebook_same_problem": "(o mesmo problema de cima)",
    "notebook_printed": "(sua função imprimiu {count} caracteres durante as verificações; omitidos)",
    "hint_label": "Dica: {hint}",
    "wrong_type": "retornou um {received}, esperado um numpy.ndarray (ou escalar numpy)",
    "nan_mismatch": "retornou nan onde o resultado correto é um número (ou o contrário)",
    "not_finite": "retornou {received} onde o resultado correto é finito ({expected})",
    "modified_input": "modificou o argumento de entrada #{index} (in place); calcule um array novo",
    "failing_call": "para {call}: {problem}",
    "module_unavailable": "{module}.py não pôde ser corrigido: {problem}",
    "import_failed": "a importação de {module}.py falhou: {problem}",
    "call_error": "levantou {text}",
    "call_timeout": "não retornou antes do prazo (laço infinito?)",
    "call_crashed": "derrubou o processo de correção ({reason})",
    "call_budget": "não foi executada: o tempo total da entrega acabou",
    "missing_module": "{module}.py (ou {module}.ipynb) não está na entrega",
    "check_crashed": "o corretor não conseguiu rodar esta verificação ({error})",
    "wrong_shape": "retornou shape {received}, esperado {expected}",
    "wrong_dtype": "retornou dtype {received}, esperado {expected}",
    "wrong_value": "no índice {index}: recebido {received}, esperado {expected}",
    "not_implemented": "ainda não implementada (o stub lança NotImplementedError)",
    "missing_function": "{function} não está definida em {module}.py",
    "hint_tanh_grad_sigmoid": "Parece 1 - σ(z)², o erro do slide: a derivada da tanh é 1 - tanh(z)².",
    "hint_r2_missing_one_minus": "Parece SS_res / SS_tot (a fórmula do slide): R² = 1 - SS_res / SS_tot.",
}


CATALOGUES = {"en": EN, "pt": PT}
LANGUAGES = tuple(CATALOGUES)


def language_of(name: str | None, default: str = "en") -> str:
    """``"pt"`` for ``pt``, ``pt_BR``, ``pt-PT.UTF-8``...; ValueError names the known languages."""
    if not name:
        return default
    code = str(name).strip().split(".")[0].replace("-", "_").split("_")[0].lower()
    if code not in CATALOGUES:
        raise ValueError(f"unknown language {name!r}: use one of {', '.join(LANGUAGES)}")
    return code

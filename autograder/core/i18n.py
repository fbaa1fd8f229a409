"""The language tables: English (the kit's own words) and Portuguese (the course's language).

``EN`` and ``PT`` hold the same keys (``tests/test_i18n.py`` fails when a key lacks a language
or a template's placeholders differ); the Portuguese uses the lecture's terms
(``lecture.md`` is the glossary: função de custo, pré-ativação, dissipação de gradiente,
verossimilhança). Formulas and code identifiers stay as they are.

Check titles are part of the tables: ``titles.json`` pairs each English title (the check's
stable name, ``Check.name``) with its Portuguese one, under the key ``title:<English title>``. A
title made from an exercise's own name is a template (``matches finite differences of
{function}``): ``title_parts`` reads the values back out of the name, so a new exercise gets its
title in both languages without a new entry.

``language_of`` accepts locale names (``pt_BR``, ``pt-PT``, ``en_US.UTF-8``) and refuses an
unknown language with the list of known ones.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

EN: dict[str, str] = {
    # notebooks (check() in a kernel)
    "notebook_unknown": "{function}: unknown to the kit (no checks).",
    "notebook_no_checks": "{function}: no checks for this function yet.",
    "notebook_public": "public checks",
    "notebook_all": "all checks",
    "notebook_score": "{mark} {function}: {score} / {max} points ({kind})",
    "notebook_check_line": "{mark} {check} ({points} pt)",
    "notebook_same_problem": "(the same problem as above)",
    "notebook_printed": "(your function printed {count} characters during the checks; left out)",
    "notebook_no_such_check": "{function}: the kit has no check named {check!r} (regenerate the notebooks with `dlgrade assign`)",
    "notebook_kit_defect": "{function}: the checks could not run ({error})",
    # the self-check (dlgrade check, python check.py)
    "selfcheck_title": "Public checks on {path}",
    "selfcheck_summary": "{passed} of {total} public checks pass ({score} / {max} points). More checks run when you submit (numerical stability at extreme inputs, consistency with PyTorch and scikit-learn, other parameter values).",
    "selfcheck_no_function": "no function named {names}",
    "selfcheck_description": "Run the public checks on your files.",
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
    "title_unknown": "{name}",
    "isolation_bubblewrap": "bubblewrap: bubblewrap namespaces (mount, pid, network) + unprivileged uid + resource limits",
    "isolation_uid": "uid: unprivileged uid + chroot to its scratch folder + network and IPC namespaces where allowed + resource limits (no mount namespace available)",
    "isolation_uid_no_chroot": "uid: unprivileged uid + network and IPC namespaces where allowed + resource limits; chroot refused: files readable by everyone stay readable",
    "isolation_none": "none: NOT ISOLATED: the grader is not root, so the worker runs as the grader's own user with resource limits only",
    "internal_error": "The autograder could not grade this submission because of an internal error. Your instructor can see the details; please contact them.",
    # what a call produced instead of a value
    "call_error": "raised {text}",
    "call_timeout": "did not return before the deadline (infinite loop?)",
    "call_crashed": "crashed the worker process ({reason})",
    "call_budget": "was not run: the submission's time budget is used up",
    "exception": "{error}: {message}",
    "exception_at": "{error}: {message} at {file}, line {line}",
    "exception_in": "{error}: {message} at {file}, line {line}, in {function}",
    "exception_in_cell": "{error}: {message} at line {line}, in {function}",
    "exception_unprintable": "<the exception's message could not be printed>",
    "forbidden_import": "{module} is not allowed in a submission: use numpy only",
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
    "wrong_value_0d": "received {received}, expected {expected}",
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
    # the batch (instructor's console)
    "batch_students": "{count} students in {folder}",
    "batch_resumed": "{count} students in {folder}; {resumed} already graded (state in {state})",
    "batch_progress": "grading",
    "batch_elapsed": "elapsed",
    "batch_left": "left",
    "batch_error": "error {student}: {problem}",
    "batch_interrupted": "interrupted: {graded} of {total} graded and recorded; run the same command again to resume",
    "batch_done": "gradebook: {out} ({rows} rows; {graded} graded now, {resumed} resumed, {errors} errors)",
    "batch_done_feedback": "gradebook: {out} ({rows} rows; {graded} graded now, {resumed} resumed, {errors} errors); feedback in {feedback}",
    "batch_not_a_folder": "{folder} is not a folder",
    "batch_unreadable_record": "the result could not be read back",
    "batch_too_long": "grading took too long; the grader was stopped",
    "batch_grader_died": "the grading process died (exit {status})",
    # the Gradescope container's log (the instructor's)
    "gradescope_unknown_visibility": "unknown hidden visibility {value!r}; using {default}",
    # the command line
    "cli_description": "dlgrade: grade the exercises on activation functions, losses and metrics (numpy).",
    "cli_no_such_path": "{path}: no such file or folder",
    "cli_unknown_language": "unknown language {name!r}: use one of {known}",
    "cli_wrote": "wrote {path}",
    "cli_wrote_zip": "wrote {path}: upload it as the assignment's autograder (Gradescope: Configure Autograder)",
    "cli_wrote_release": "wrote {path}: the stubs, the notebooks and check.py (public checks only, no reference)",
    "cli_up_to_date": "assignments/ is up to date.",
    "cli_drifted": "assignments/ differs from what `dlgrade assign` would write; run it.",
    "cli_course_language_only": "assignments/ is written in the course's language ({course}): write {language} elsewhere with --out DIR",
    "cli_check_with_out": "--check compares assignments/ with what `dlgrade assign` would write: give no --out",
    "drift_missing": "{path}: missing",
    "drift_differs": "{path}: differs from solutions/ and the contract (regenerate)",
    "drift_stale": "{path}: not written by `dlgrade assign` (stale?)",
    "missing_text": "{function} has no {language} notebook text: write {path} and run `dlgrade assign`",
    "missing_docstring": "{function} has no {language} docstring: write {path} and run `dlgrade assign`",
    "missing_prose": "the notebook prose {path} ({language}) is missing",
    "release_no_assignments": "{files} missing: run `dlgrade assign` first",
    "release_not_a_release": "{path} is not empty and is not an earlier release (use --force to replace it)",
    "release_solutions_fail": "the solutions must pass every public check to record their examples; failing: {failing}",
    "release_no_check_ran": "no check ran",
    "release_missing_file": "autograder/{name} is missing from the kit",
    "release_check_failed": "the release's check.py does not say '{expected}' on the solutions:",
    "release_marker": "written by `dlgrade release`; replaced by the next one",
    "help_lang": "the language: pt or en (also pt_BR, pt-PT...); default: DLGRADE_LANG, else the course's ({course})",
    "help_lang_files": "the language of the files written: pt or en (also pt_BR, pt-PT...); default: the course's ({course})",
    "help_lang_zip": "the language of the students' results on Gradescope: pt or en; default: the course's ({course})",
    "help_grade": "grade one submission (a folder, a zip or notebooks)",
    "help_grade_path": "the submission: a folder or .zip of modules or notebooks",
    "help_format": "text (a terminal report) or json (Gradescope's results.json)",
    "help_out_report": "write the report here instead of the terminal",
    "help_public_only": "run only the public checks",
    "help_batch": "grade a class folder into a gradebook (resumable)",
    "help_batch_folder": "one folder or .zip per student, or a Gradescope submissions export",
    "help_gradebook": "the gradebook (default: {default})",
    "help_jobs": "grader processes (default: the number of cores, {default})",
    "help_feedback": "write each student's feedback.txt and results.json here",
    "help_budget": "time budget of one submission, in seconds (default: {default})",
    "help_check": "run the public checks on your files (what students run)",
    "help_check_path": "a folder or .zip with your modules or notebooks (default: the current folder)",
    "help_only": "check only this function (sigmoid, activations.sigmoid); repeat for more",
    "help_release": "write what students receive: stubs, notebooks, self-check",
    "help_release_out": "the folder to write (an earlier release is replaced)",
    "help_force": "replace the folder even if it is not an earlier release",
    "help_gradescope": "build the Gradescope autograder zip",
    "help_zip": "the zip (default: {default})",
    "help_visibility": "when students see the hidden checks' results (default: {default})",
    "help_assign": "write assignments/ from solutions/ (stubs and notebooks)",
    "help_assign_check": "exit 1 and name the files where assignments/ has drifted",
    "help_assign_out": "write the stubs and notebooks into this folder instead of assignments/ (any language)",
    "stub_todo": "{name}: implement this function — see the docstring",
    "stub_todo_helper": "{name}: implement this helper function — see the docstring",
}

PT: dict[str, str] = {
    "notebook_unknown": "{function}: função desconhecida para o kit (nenhuma verificação).",
    "notebook_no_checks": "{function}: ainda não há verificações para esta função.",
    "notebook_public": "verificações públicas",
    "notebook_all": "todas as verificações",
    "notebook_score": "{mark} {function}: {score} / {max} pontos ({kind})",
    "notebook_check_line": "{mark} {check} ({points} pt)",
    "notebook_same_problem": "(o mesmo problema de cima)",
    "notebook_printed": "(sua função imprimiu {count} caracteres durante as verificações; omitidos)",
    "notebook_no_such_check": "{function}: o kit não tem verificação chamada {check!r} (gere os notebooks de novo com `dlgrade assign`)",
    "notebook_kit_defect": "{function}: as verificações não puderam rodar ({error})",
    "selfcheck_title": "Verificações públicas em {path}",
    "selfcheck_summary": "{passed} de {total} verificações públicas passam ({score} / {max} pontos). Na entrega rodam mais verificações (estabilidade numérica em entradas extremas, consistência com o PyTorch e o scikit-learn, outros valores dos parâmetros).",
    "selfcheck_no_function": "nenhuma função chamada {names}",
    "selfcheck_description": "Roda as verificações públicas nos seus arquivos.",
    "hint_label": "Dica: {hint}",
    "summary_total": "Total: {score} / {max}",
    "summary_sandbox": "Isolamento: {level}",
    "summary_note": "Observação: {note}",
    "summary_output": "Saída impressa por {module}.py (truncada):",
    "table_title": "Nota {score} / {max}",
    "column_function": "função",
    "column_score": "nota",
    "column_failed": "verificações que falharam",
    "failures_title": "Falhas",
    "title_unknown": "{name}",
    "isolation_bubblewrap": "bubblewrap: namespaces do bubblewrap (montagem, processos, rede) + uid sem privilégios + limites de recursos",
    "isolation_uid": "uid: uid sem privilégios + chroot na sua pasta de trabalho + namespaces de rede e IPC onde permitidos + limites de recursos (sem namespace de montagem)",
    "isolation_uid_no_chroot": "uid: uid sem privilégios + namespaces de rede e IPC onde permitidos + limites de recursos; chroot recusado: arquivos legíveis por todos continuam legíveis",
    "isolation_none": "none: SEM ISOLAMENTO: o corretor não roda como root, então o processo de correção roda com o próprio usuário do corretor, só com limites de recursos",
    "internal_error": "O corretor automático não conseguiu corrigir esta entrega por causa de um erro interno. Seu professor pode ver os detalhes; entre em contato com ele.",
    "call_error": "levantou {text}",
    "call_timeout": "não retornou antes do prazo (laço infinito?)",
    "call_crashed": "derrubou o processo de correção ({reason})",
    "call_budget": "não foi executada: o tempo total da entrega acabou",
    "exception": "{error}: {message}",
    "exception_at": "{error}: {message} em {file}, linha {line}",
    "exception_in": "{error}: {message} em {file}, linha {line}, na função {function}",
    "exception_in_cell": "{error}: {message} na linha {line}, na função {function}",
    "exception_unprintable": "<não foi possível imprimir a mensagem da exceção>",
    "forbidden_import": "{module} não é permitido numa entrega: use só numpy",
    "invalid_type": "retornou um objeto do tipo {type}",
    "invalid_not_numeric": "retornou um {kind} que não é numérico",
    "invalid_dtype": "retornou um array de dtype {dtype}",
    "invalid_size": "retornou um array de {size} bytes",
    "invalid_unreadable": "não foi possível ler a resposta: {reason}",
    "exit_signal": "morto pelo sinal {signal}",
    "exit_status": "terminou com status {status}",
    "exit_closed": "fechou o seu canal",
    "exit_malformed": "mandou uma resposta malformada: {reason}",
    "exit_flood": "imprimiu mais de {mib} MiB (impressão sem fim?) e foi parado",
    "args_not_sent": "não foi possível enviar os argumentos: {reason}",
    "no_such_function": "{module} não tem a função {function}",
    "fd_problem": "{problem} (diferença central de {source})",
    "fd_own": "sua {function}",
    "fd_reference": "a {function} correta; sua {function} está errada nesta entrada",
    "lecture_problem": "{problem}, comparado com {source}",
    "lecture_own": "sua bce_loss(sigmoid(x), y)",
    "lecture_reference": "bce_loss(sigmoid(x), y) (a correta: sua bce_loss está errada nesta entrada)",
    "saturation_note": "{detail} (sigmoid + bce_loss dá {saturated} aqui: satura no limite do log; bce_with_logits não pode saturar)",
    "check_crashed": "o corretor não conseguiu rodar esta verificação ({error})",
    "not_banked": "não pôde ser verificada aqui na entrada {input}: ela precisa dos valores corretos de uma função que seu código erra (veja as outras falhas). Corrija essas primeiro; até lá ela conta como falha aqui, embora o corretor ainda possa dar estes pontos.",
    "missing_module": "{module}.py (ou {module}.ipynb) não está na entrega",
    "unreadable_notebook": "{name} não é um notebook legível ({error})",
    "too_large": "{name} tem mais de {mib} MiB",
    "not_utf8": "{name} não é texto UTF-8 (byte {byte})",
    "unreadable_file": "não foi possível ler {name}: {error}",
    "unreadable_zip": "{name} não é um zip legível: {error}",
    "does_not_exist": "{path} não existe",
    "graded_files": "arquivos corrigidos: {files}",
    "ignored_files": "arquivos ignorados: {files}",
    "not_searched": "pastas não examinadas (não são pastas do próprio aluno): {folders}",
    "wrong_shape": "retornou a forma (shape) {received}, esperada {expected}",
    "wrong_dtype": "retornou dtype {received}, esperado {expected}",
    "wrong_type": "retornou um {received}, esperado um numpy.ndarray (ou escalar numpy)",
    "nan_mismatch": "retornou nan onde o resultado correto é um número (ou o contrário)",
    "wrong_value": "no índice {index}: recebido {received}, esperado {expected}",
    "wrong_value_0d": "recebido {received}, esperado {expected}",
    "not_finite": "retornou {received} onde o resultado correto é finito ({expected})",
    "modified_input": "modificou o argumento de entrada #{index} (in place); calcule um array novo",
    "failing_call": "para {call}: {problem}",
    "warnings_note": "observação: o numpy avisou {warnings}",
    "missing_function": "{function} não está definida em {module}.py",
    "module_unavailable": "{module}.py não pôde ser corrigido: {problem}",
    "import_failed": "a importação de {module}.py falhou: {problem}",
    "not_implemented": "ainda não implementada (o stub lança NotImplementedError)",
    "isolation": "isolamento: {level}",
    "hint_tanh_grad_sigmoid": "Parece 1 - σ(z)², o erro do slide: a derivada da tanh é 1 - tanh(z)².",
    "hint_r2_missing_one_minus": "Parece SS_res / SS_tot (a fórmula do slide): R² = 1 - SS_res / SS_tot.",
    "hint_swish_grad_slide": "Parece a derivada da Swish truncada do slide: use σ(βz) + βz·σ(βz)·(1 - σ(βz)).",
    "hint_elu_grad_drop_alpha": "Parece α(e^z - 1) para z ≤ 0: a derivada do slide é α(e^z - 1) + α = αe^z; não esqueça o + α.",
    "hint_softplus_grad_beta": "Parece σ(z): com β ≠ 1 a derivada da softplus é σ(βz) (e exatamente 1 onde βz > threshold).",
    "hint_softplus_threshold": "Confira o threshold: a softplus devolve o próprio z (derivada 1) exatamente onde β·z > threshold.",
    "hint_overflow": "Um resultado estourou para inf/nan em |z| grande: reescreva a fórmula para que a exp só receba números não positivos (por exemplo exp(-|z|)).",
    "hint_softmax_shift": "A softmax/log_softmax estourou: subtraia o máximo ao longo do eixo antes de exponenciar (o deslocamento pelo máximo).",
    "hint_log_of_softmax": "log(softmax(z)) dá -inf onde a softmax chega a 0 por underflow: calcule z - max - log(Σ exp(z - max)) diretamente.",
    "hint_log_zero": "Apareceu log(0): limite cada log a -100, como faz a binary_cross_entropy do torch (e 0·log 0 tem de contar como 0).",
    "hint_mean_over_classes": "A média parece dividir por N·C: o 'mean' da entropia cruzada faz a média só sobre as N amostras.",
    "hint_missing_mean_factor": "Errado por um fator igual ao número de elementos: com reduction='mean' o gradiente leva o fator 1/N.",
    "hint_precision_recall_swapped": "Esta é a outra métrica: precisão = TP / (TP + FP), revocação (recall) = TP / (TP + FN).",
    "hint_beta_not_squared": "Parece β no lugar de β²: F_β = (1 + β²)·P·R / (β²·P + R).",
    "hint_relu_kink": "Confira o valor exatamente em z = 0: o contrato fixa relu'(0) = 0, leaky_relu'(0) = α, elu'(0) = α e selu'(0) = λα (o ramo z ≤ 0, como na aula e no torch).",
    "hint_selu_constants": "Use λ e α com a precisão toda: λ = 1.0507009873554804934193349852946, α = 1.6732632423543772848170429916717.",
    "hint_dtype": "Preserve o dtype de ponto flutuante da entrada: float32 entra, float32 sai (int e bool entram, float64 sai).",
    "hint_reduction": "Confira a redução: 'mean' faz a média, 'sum' soma, 'none' devolve a loss de cada elemento.",
    "hint_gaussian_nll_full": "Parece faltar um termo: a NLL gaussiana completa é ½·ln(2π·var) + ½·(target - input)²/var; mantenha a constante ½·ln 2π e o ½ nos dois termos.",
    "hint_mse_grad_factor_two": "Parece (input - target) sem o fator 2: d/dx (x - t)² = 2·(x - t).",
    "hint_grad_sign": "O gradiente está com o sinal trocado: derive em relação a input (2·(input - target), σ(x) - y, softmax(x) - onehot(y)).",
    "hint_bce_clip_probability": "Parece que p foi cortado em [ε, 1 - ε] (por exemplo ε = 1e-7): o contrato limita cada log a -100, como o torch (p = 0 com y = 1 custa 100).",
    "hint_logits_via_sigmoid": "Isto parece bce_loss(sigmoid(x)): σ(x) arredonda para 0 ou 1 quando |x| é grande e a loss satura no limite do log. Use -ln σ(x) = ln(1 + e^(-x)) = max(-x, 0) + ln(1 + e^(-|x|)), sem nunca formar σ(x).",
    "hint_pos_weight_positive_term": "pos_weight multiplica só o termo positivo: -[w·y·ln σ(x) + (1 - y)·ln(1 - σ(x))].",
    "hint_pos_weight_grad": "Com pos_weight o gradiente é σ(x)·(w·y + 1 - y) - w·y; σ(x) - y só vale para w = 1.",
    "hint_confusion_transposed": "Linhas e colunas estão trocadas: C[i, j] conta as amostras cuja classe VERDADEIRA é labels[i] e cuja classe PREDITA é labels[j].",
    "hint_r2_mean_of_y_true": "SS_tot usa a média de y_true, não de y_pred: SS_tot = Σ(y - ȳ)² com ȳ = mean(y_true).",
    "hint_macro_f_of_means": "Este é o F-score da precisão e da revocação médias: 'macro' faz a média dos F-scores de cada classe ('weighted' os pondera pelo suporte).",
    "hint_r2_constant": "Com y_true constante, SS_tot = 0: devolva 1.0 se a predição for perfeita e 0.0 caso contrário (a convenção do scikit-learn), não nan nem inf.",
    "hint_zero_division": "Há um denominador 0 aqui (nenhum positivo predito, na precisão; nenhuma amostra verdadeira, na revocação): devolva zero_division em vez de dividir.",
    "hint_f_zero_division": "Calcule o F-score a partir das contagens, F_β = (1 + β²)·TP / ((1 + β²)·TP + β²·FN + FP): ele só vale zero_division quando TP + FP + FN = 0, mesmo onde a precisão ou a revocação sozinha é 0/0.",
    "hint_wrong_order": "Ordem dos argumentos: as losses recebem (input, target), como o PyTorch; as métricas recebem (y_true, y_pred), como o scikit-learn.",
    "batch_students": "{count} alunos em {folder}",
    "batch_resumed": "{count} alunos em {folder}; {resumed} já corrigidos (estado em {state})",
    "batch_progress": "corrigindo",
    "batch_elapsed": "decorrido",
    "batch_left": "restante",
    "batch_error": "erro {student}: {problem}",
    "batch_interrupted": "interrompido: {graded} de {total} corrigidos e registrados; rode o mesmo comando de novo para continuar",
    "batch_done": "planilha de notas: {out} ({rows} linhas; {graded} corrigidos agora, {resumed} retomados, {errors} erros)",
    "batch_done_feedback": "planilha de notas: {out} ({rows} linhas; {graded} corrigidos agora, {resumed} retomados, {errors} erros); feedback em {feedback}",
    "batch_not_a_folder": "{folder} não é uma pasta",
    "batch_unreadable_record": "não foi possível ler o resultado registrado",
    "batch_too_long": "a correção demorou demais; o processo de correção foi parado",
    "batch_grader_died": "o processo de correção morreu (status {status})",
    "gradescope_unknown_visibility": "visibilidade desconhecida para as verificações ocultas {value!r}; usando {default}",
    "cli_description": "dlgrade: corrige os exercícios de funções de ativação, funções de custo e métricas (numpy).",
    "cli_no_such_path": "{path}: arquivo ou pasta inexistente",
    "cli_unknown_language": "idioma desconhecido {name!r}: use um destes: {known}",
    "cli_wrote": "escrito {path}",
    "cli_wrote_zip": "escrito {path}: envie-o como o corretor automático da tarefa (Gradescope: Configure Autograder)",
    "cli_wrote_release": "escrito {path}: os stubs, os notebooks e o check.py (só as verificações públicas, sem a referência)",
    "cli_up_to_date": "assignments/ está atualizado.",
    "cli_drifted": "assignments/ difere do que o `dlgrade assign` escreveria; rode-o.",
    "cli_course_language_only": "assignments/ é escrito no idioma do curso ({course}): para escrever em {language}, use --out PASTA",
    "cli_check_with_out": "--check compara assignments/ com o que o `dlgrade assign` escreveria: não use --out",
    "drift_missing": "{path}: não existe",
    "drift_differs": "{path}: difere de solutions/ e do contrato (gere de novo)",
    "drift_stale": "{path}: não foi escrito pelo `dlgrade assign` (obsoleto?)",
    "missing_text": "{function} não tem o texto do notebook em {language}: escreva {path} e rode `dlgrade assign`",
    "missing_docstring": "{function} não tem a docstring em {language}: escreva {path} e rode `dlgrade assign`",
    "missing_prose": "o texto de notebook {path} ({language}) não existe",
    "release_no_assignments": "{files} não existe: rode `dlgrade assign` primeiro",
    "release_not_a_release": "{path} não está vazia e não é uma versão anterior para os alunos (use --force para substituí-la)",
    "release_solutions_fail": "as soluções precisam passar em todas as verificações públicas para gravar os seus exemplos; falham: {failing}",
    "release_no_check_ran": "nenhuma verificação rodou",
    "release_missing_file": "autograder/{name} não está no kit",
    "release_check_failed": "o check.py da versão para os alunos não diz '{expected}' sobre as soluções:",
    "release_marker": "escrito pelo `dlgrade release`; substituído pelo próximo",
    "help_lang": "o idioma: pt ou en (também pt_BR, pt-PT...); padrão: DLGRADE_LANG, senão o do curso ({course})",
    "help_lang_files": "o idioma dos arquivos escritos: pt ou en (também pt_BR, pt-PT...); padrão: o do curso ({course})",
    "help_lang_zip": "o idioma dos resultados dos alunos no Gradescope: pt ou en; padrão: o do curso ({course})",
    "help_grade": "corrige uma entrega (uma pasta, um zip ou notebooks)",
    "help_grade_path": "a entrega: uma pasta ou um .zip de módulos ou notebooks",
    "help_format": "text (um relatório no terminal) ou json (o results.json do Gradescope)",
    "help_out_report": "escreve o relatório neste arquivo em vez do terminal",
    "help_public_only": "roda só as verificações públicas",
    "help_batch": "corrige a pasta de uma turma numa planilha de notas (pode ser retomada)",
    "help_batch_folder": "uma pasta ou .zip por aluno, ou uma exportação de entregas do Gradescope",
    "help_gradebook": "a planilha de notas (padrão: {default})",
    "help_jobs": "processos de correção (padrão: o número de núcleos, {default})",
    "help_feedback": "escreve aqui o feedback.txt e o results.json de cada aluno",
    "help_budget": "tempo total de uma entrega, em segundos (padrão: {default})",
    "help_check": "roda as verificações públicas nos seus arquivos (o que os alunos rodam)",
    "help_check_path": "uma pasta ou .zip com seus módulos ou notebooks (padrão: a pasta atual)",
    "help_only": "verifica só esta função (sigmoid, activations.sigmoid); repita para mais de uma",
    "help_release": "escreve o que os alunos recebem: stubs, notebooks e a autoverificação",
    "help_release_out": "a pasta a escrever (uma versão anterior é substituída)",
    "help_force": "substitui a pasta mesmo que não seja uma versão anterior",
    "help_gradescope": "monta o zip do corretor automático para o Gradescope",
    "help_zip": "o zip (padrão: {default})",
    "help_visibility": "quando os alunos veem os resultados das verificações ocultas (padrão: {default})",
    "help_assign": "escreve assignments/ a partir de solutions/ (stubs e notebooks)",
    "help_assign_check": "sai com status 1 e nomeia os arquivos em que assignments/ está desatualizado",
    "help_assign_out": "escreve os stubs e os notebooks nesta pasta em vez de assignments/ (em qualquer idioma)",
    "stub_todo": "{name}: implemente esta função — veja a docstring",
    "stub_todo_helper": "{name}: implemente esta função auxiliar — veja a docstring",
}

# the check titles (English title = Check.name -> Portuguese title), a data file: a release ships
# the public checks' titles only (hidden checks are not named in a release)
TITLES_FILE = Path(__file__).resolve().parent / "titles.json"
TITLES: dict[str, str] = json.loads(TITLES_FILE.read_text(encoding="utf-8"))

TITLE_PREFIX = "title:"
EN.update({TITLE_PREFIX + english: english for english in TITLES})
PT.update({TITLE_PREFIX + english: portuguese for english, portuguese in TITLES.items()})

CATALOGUES = {"en": EN, "pt": PT}
LANGUAGES = tuple(CATALOGUES)


def _pattern(template: str) -> re.Pattern:
    """A title template as a regular expression that reads its values back (``{name}`` -> a group)."""
    parts = re.split(r"\{(\w+)\}", template)
    return re.compile("".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts)) + r"\Z")


TEMPLATED_TITLES = tuple((TITLE_PREFIX + english, _pattern(english)) for english in TITLES if "{" in english)


def title_parts(name: str) -> tuple[str, dict[str, str]]:
    """The table key of the check title ``name`` and its values; ``("title_unknown", {"name": name})``
    for a name no title matches (shown as it is, and caught by tests/test_i18n.py)."""
    key = TITLE_PREFIX + name
    if key in EN and "{" not in name:
        return key, {}
    for templated, pattern in TEMPLATED_TITLES:
        match = pattern.match(name)
        if match:
            return templated, match.groupdict()
    return "title_unknown", {"name": name}


class UnknownLanguage(ValueError):
    """A language the kit has no table for (``name``), with the known ones."""

    def __init__(self, name: str):
        super().__init__(f"unknown language {name!r}: use one of {', '.join(LANGUAGES)}")
        self.name = name


def language_of(name: str | None, default: str = "en") -> str:
    """``"pt"`` for ``pt``, ``pt_BR``, ``pt-PT.UTF-8``...; UnknownLanguage names the known languages."""
    if not name:
        return default
    code = str(name).strip().split(".")[0].replace("-", "_").split("_")[0].lower()
    if code not in CATALOGUES:
        raise UnknownLanguage(str(name))
    return code

# GERADO pelo `dlgrade assign` a partir de solutions/ — não edite.
# (Professores: alterem solutions/metrics.py e rodem `dlgrade assign`. Alunos: esta é a sua
# cópia: substitua cada `raise NotImplementedError(...)` pela sua implementação.)
"""Métricas de avaliação para regressão e classificação, em numpy.

Exercício 3 de 3 de "Aprendizado Profundo 1: Funções de Ativação e Funções de Custo".

Nomes, ordem dos argumentos e semântica são os de ``sklearn.metrics``, em entradas 1-D.

Ordem dos argumentos: as métricas recebem ``(y_true, y_pred)``, como o scikit-learn (a verdade
primeiro), enquanto as losses de ``losses.py`` recebem ``(input, target)``, como o PyTorch (a
predição primeiro). A diferença é proposital: cada módulo segue a biblioteca que você vai usar
na prática, então leia a assinatura antes de chamar.

Convenções, verificadas pelo corretor em toda função:

- As entradas são array_like 1-D de mesmo comprimento (listas ou arrays numpy). As métricas de
  regressão recebem números; as de classificação recebem rótulos inteiros ou bools (rótulos
  strings ficam fora do contrato: não valem nota).
- Os resultados são floats numpy (ou um array 0-d); ``confusion_matrix`` devolve um ndarray de
  inteiros.
- As métricas de regressão preservam o dtype de ponto flutuante (float32 entra, float32 sai);
  int e bool dão float64.
- As entradas nunca são modificadas (in place).
- Só numpy: nenhum import de torch, scipy ou sklearn neste arquivo (o corretor recusa).

Fora do contrato, e sem nota: entradas inválidas (vazias, de comprimentos diferentes, com nan ou
inf, rótulos contínuos numa métrica de classificação) levantam ValueError, como no scikit-learn;
a função dada ``_vectors`` faz essas verificações (uma coluna (N, 1) é lida como (N,)).
"""

import numpy as np
from numpy.typing import ArrayLike


def _as_float(x: ArrayLike) -> np.ndarray:
    """``x`` como ndarray de ponto flutuante: dtypes float são mantidos, int/bool viram float64."""
    x = np.asarray(x)
    return x if np.issubdtype(x.dtype, np.floating) else x.astype(np.float64)


def _vectors(y_true: ArrayLike, y_pred: ArrayLike, classes: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """y_true e y_pred como arrays 1-D de mesmo comprimento, recusados como o scikit-learn os recusa.

    Levanta ValueError para entradas fora do contrato: uma entrada vazia ou 2-D (uma coluna (N, 1) é
    lida como (N,), como faz o scikit-learn, nunca difundida contra (N,)), entradas de comprimentos
    diferentes, nan ou inf; as métricas de regressão (``classes=False``) aceitam só números, e as de
    classificação (``classes=True``) recusam rótulos float não inteiros (predições contínuas não são
    classes). Dada a você, e não avaliada: as verificações só enviam entradas válidas.
    """
    arrays = []
    for name, y in (("y_true", y_true), ("y_pred", y_pred)):
        a = np.asarray(y)
        if a.ndim == 2 and a.shape[1] == 1:
            a = a[:, 0]
        if a.ndim != 1 or a.size == 0:
            raise ValueError(f"{name} must be a non-empty 1-D array, got shape {a.shape}")
        if not classes and a.dtype.kind not in "biuf":
            raise ValueError(f"{name} must hold numbers, got dtype {a.dtype}")
        if a.dtype.kind == "f" and not np.all(np.isfinite(a)):
            raise ValueError(f"{name} contains nan or inf")
        if classes and a.dtype.kind == "f" and np.any(a != np.round(a)):
            raise ValueError(f"{name} holds continuous values: class labels must be integers")
        arrays.append(a)
    if arrays[0].size != arrays[1].size:
        raise ValueError(f"y_true and y_pred have different lengths: {arrays[0].size} and {arrays[1].size}")
    return arrays[0], arrays[1]


def mean_squared_error(y_true: ArrayLike, y_pred: ArrayLike) -> np.floating:
    """Erro quadrático médio: MSE = Σ_i (ŷ_i - y_i)² / N.

    Parâmetros
    ----------
    y_true : array_like, forma (N,)
        Valores verdadeiros y.
    y_pred : array_like, forma (N,)
        Valores preditos ŷ.

    Retorna
    -------
    np.floating
        O MSE, ≥ 0, na unidade de y ao quadrado.

    Atenção: a ordem dos argumentos (y_true primeiro, como no scikit-learn).
    """
    raise NotImplementedError("mean_squared_error: implemente esta função — veja a docstring")


def mean_absolute_error(y_true: ArrayLike, y_pred: ArrayLike) -> np.floating:
    """Erro absoluto médio: MAE = Σ_i |ŷ_i - y_i| / N.

    Menos sensível a outliers que o MSE, e na unidade de y.

    Parâmetros
    ----------
    y_true : array_like, forma (N,)
        Valores verdadeiros y.
    y_pred : array_like, forma (N,)
        Valores preditos ŷ.

    Retorna
    -------
    np.floating
        O MAE, ≥ 0.

    Atenção: o valor absoluto de cada diferença, não da soma.
    """
    raise NotImplementedError("mean_absolute_error: implemente esta função — veja a docstring")


def r2_score(y_true: ArrayLike, y_pred: ArrayLike) -> np.floating:
    """Coeficiente de determinação: R² = 1 - SS_res / SS_tot.

    SS_res = Σ_i (y_i - ŷ_i)² é o erro do modelo, SS_tot = Σ_i (y_i - ȳ)² o erro de predizer sempre
    a média ȳ. R² = 1 é um ajuste perfeito, 0 não é melhor que a média, e ele é negativo para um
    modelo pior que a média. O slide escreve SS_res / SS_tot e omite o "1 -": essa razão é a fração
    da variância NÃO explicada.

    Se y_true é constante, SS_tot = 0 e a razão não está definida: como o scikit-learn, devolva 1.0
    quando a predição for perfeita (SS_res = 0) e 0.0 caso contrário; com menos de duas amostras,
    devolva nan.

    Parâmetros
    ----------
    y_true : array_like, forma (N,)
        Valores verdadeiros y.
    y_pred : array_like, forma (N,)
        Valores preditos ŷ.

    Retorna
    -------
    np.floating
        R² ≤ 1.

    Atenção: o "1 -" que falta no slide; ȳ é a média de y_true (não de y_pred); o caso de y_true
    constante (sem divisão por zero).
    """
    raise NotImplementedError("r2_score: implemente esta função — veja a docstring")


def accuracy_score(y_true: ArrayLike, y_pred: ArrayLike) -> np.floating:
    """Acurácia: a fração de predições corretas, (TP + TN) / N no caso binário.

    Funciona para qualquer número de classes: é a média de [ŷ_i = y_i].

    Parâmetros
    ----------
    y_true : array_like, forma (N,)
        Rótulos verdadeiros.
    y_pred : array_like, forma (N,)
        Rótulos preditos.

    Retorna
    -------
    np.floating
        Um valor em [0, 1].

    Atenção: a acurácia engana com classes desbalanceadas (predizer sempre a classe majoritária
    tira nota alta): é para isso que servem a precisão e a revocação.
    """
    raise NotImplementedError("accuracy_score: implemente esta função — veja a docstring")


def confusion_matrix(
    y_true: ArrayLike, y_pred: ArrayLike, labels: ArrayLike | None = None
) -> np.ndarray:
    """Matriz de confusão: as linhas são as classes verdadeiras, as colunas as classes preditas.

    C[i, j] é o número de amostras da classe verdadeira labels[i] (Real) preditas como labels[j]
    (Valor Predito). Para rótulos binários [0, 1] isso dá [[TN, FP], [FN, TP]]: repare que a tabela
    do slide põe a classe positiva primeiro ([[TP, FN], [FP, TN]]), o que corresponde a
    ``labels=[1, 0]``.

    Parâmetros
    ----------
    y_true : array_like, forma (N,)
        Rótulos verdadeiros.
    y_pred : array_like, forma (N,)
        Rótulos preditos.
    labels : array_like ou None, padrão None
        As classes, na ordem das linhas e das colunas. None quer dizer todo rótulo que aparece em
        y_true ou y_pred, em ordem crescente. Amostras cujos rótulos não estão na lista são
        ignoradas.

    Retorna
    -------
    np.ndarray
        Array de inteiros de forma (K, K), K = número de rótulos.

    Atenção: as linhas são os rótulos verdadeiros e as colunas as predições (não o contrário); os
    rótulos são ordenados, a menos que sejam dados.
    """
    raise NotImplementedError("confusion_matrix: implemente esta função — veja a docstring")


def _class_counts(
    y_true: ArrayLike, y_pred: ArrayLike, average: str, pos_label: int | str
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Contagens (TP, FP, FN) de cada classe que ``average`` considera: três arrays de inteiros de
    forma (K,).

    'binary' considera só a classe ``pos_label`` (K = 1) e levanta ValueError se y_true e y_pred
    têm mais de dois rótulos, ou dois rótulos sem ``pos_label``. 'micro', 'macro' e 'weighted'
    consideram todo rótulo presente em y_true ou y_pred, em ordem. Qualquer outro ``average``
    levanta ValueError. Função auxiliar privada, compartilhada por precision_score, recall_score e
    fbeta_score (não é avaliada sozinha).
    """
    raise NotImplementedError("_class_counts: implemente esta função auxiliar — veja a docstring")


def _average(
    numerator: np.ndarray,
    denominator: np.ndarray,
    support: np.ndarray,
    average: str,
    zero_division: float,
) -> np.floating:
    """A média das razões numerador / denominador por classe, conforme diz ``average``.

    Uma classe cujo denominador é 0 vale ``zero_division``. 'micro' soma numeradores e
    denominadores sobre as classes antes de dividir (uma razão global); 'macro' é a média simples
    das razões por classe; 'weighted' a média delas ponderada por ``support`` (o número de amostras
    verdadeiras de cada classe; se todos forem 0, a média simples); 'binary' tem uma só classe. Com
    zero_division=np.nan as classes indefinidas ficam fora da média (nan se todas forem
    indefinidas), como faz o scikit-learn. Função auxiliar privada, compartilhada por
    precision_score, recall_score e fbeta_score (não é avaliada sozinha).
    """
    raise NotImplementedError("_average: implemente esta função auxiliar — veja a docstring")


def precision_score(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    average: str = "binary",
    pos_label: int | str = 1,
    zero_division: float = 0.0,
) -> np.floating:
    """Precisão (precision): TP / (TP + FP), a fração dos preditos positivos que são de fato positivos.

    Parâmetros
    ----------
    y_true : array_like, forma (N,)
        Rótulos verdadeiros.
    y_pred : array_like, forma (N,)
        Rótulos preditos.
    average : {'binary', 'micro', 'macro', 'weighted'}, padrão 'binary'
        'binary': a precisão só da classe ``pos_label`` (no máximo dois rótulos).
        'micro': uma precisão só, a partir de TP e FP somados sobre todas as classes.
        'macro': a média simples das precisões por classe.
        'weighted': a média das precisões por classe ponderada pelo suporte de cada classe (o seu
        número de amostras em y_true).
    pos_label : rótulo, padrão 1
        A classe positiva para average='binary' (ignorado nos outros casos).
    zero_division : float, padrão 0.0
        A precisão de uma classe que nunca é predita (TP + FP = 0): 0.0, 1.0 ou np.nan (np.nan
        deixa a classe fora da média).

    Retorna
    -------
    np.floating
        Um valor em [0, 1].

    Atenção: a precisão divide pelo que o modelo PREDISSE como positivo (TP + FP); a revocação
    divide pelo que É positivo (TP + FN). Não as troque.
    """
    raise NotImplementedError("precision_score: implemente esta função — veja a docstring")


def recall_score(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    average: str = "binary",
    pos_label: int | str = 1,
    zero_division: float = 0.0,
) -> np.floating:
    """Revocação (recall, sensibilidade): TP / (TP + FN), a fração dos positivos verdadeiros encontrados.

    Parâmetros
    ----------
    y_true : array_like, forma (N,)
        Rótulos verdadeiros.
    y_pred : array_like, forma (N,)
        Rótulos preditos.
    average : {'binary', 'micro', 'macro', 'weighted'}, padrão 'binary'
        Como em ``precision_score``.
    pos_label : rótulo, padrão 1
        A classe positiva para average='binary' (ignorado nos outros casos).
    zero_division : float, padrão 0.0
        A revocação de uma classe ausente de y_true (TP + FN = 0): 0.0, 1.0 ou np.nan.

    Retorna
    -------
    np.floating
        Um valor em [0, 1].

    Atenção: a revocação divide pelo que É positivo (TP + FN), a precisão pelo que foi PREDITO
    positivo (TP + FP).
    """
    raise NotImplementedError("recall_score: implemente esta função — veja a docstring")


def fbeta_score(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    beta: float,
    average: str = "binary",
    pos_label: int | str = 1,
    zero_division: float = 0.0,
) -> np.floating:
    """F-beta: F_β = (1 + β²)·P·R / (β²·P + R), com P a precisão e R a revocação.

    A média harmônica ponderada de P e R: a revocação conta β vezes mais que a precisão (β > 1
    favorece a revocação, β < 1 a precisão). Em termos de contagens, F_β = (1 + β²)·TP /
    ((1 + β²)·TP + β²·FN + FP): essa forma continua definida quando só P ou só R é 0/0, e apenas
    TP = FP = FN = 0 dá ``zero_division``. 'macro' é a média dos F_β por classe, não o F_β de P e R
    macro.

    Parâmetros
    ----------
    y_true : array_like, forma (N,)
        Rótulos verdadeiros.
    y_pred : array_like, forma (N,)
        Rótulos preditos.
    beta : float
        β ≥ 0 (finito).
    average : {'binary', 'micro', 'macro', 'weighted'}, padrão 'binary'
        Como em ``precision_score``.
    pos_label : rótulo, padrão 1
        A classe positiva para average='binary' (ignorado nos outros casos).
    zero_division : float, padrão 0.0
        A nota de uma classe com TP + FP + FN = 0: 0.0, 1.0 ou np.nan.

    Retorna
    -------
    np.floating
        Um valor em [0, 1].

    Atenção: β², não β, nos dois lugares; para 'macro', faça a média dos F por classe.
    """
    raise NotImplementedError("fbeta_score: implemente esta função — veja a docstring")


def f1_score(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    average: str = "binary",
    pos_label: int | str = 1,
    zero_division: float = 0.0,
) -> np.floating:
    """F1: o F-beta com β = 1, 2·P·R / (P + R), a média harmônica de P e R.

    Parâmetros
    ----------
    y_true : array_like, forma (N,)
        Rótulos verdadeiros.
    y_pred : array_like, forma (N,)
        Rótulos preditos.
    average : {'binary', 'micro', 'macro', 'weighted'}, padrão 'binary'
        Como em ``precision_score``.
    pos_label : rótulo, padrão 1
        A classe positiva para average='binary' (ignorado nos outros casos).
    zero_division : float, padrão 0.0
        A nota de uma classe com TP + FP + FN = 0: 0.0, 1.0 ou np.nan.

    Retorna
    -------
    np.floating
        Um valor em [0, 1].

    Atenção: reaproveite a ``fbeta_score``; 'macro' faz a média dos F1 por classe, não o F1 da
    precisão e da revocação macro.
    """
    raise NotImplementedError("f1_score: implemente esta função — veja a docstring")

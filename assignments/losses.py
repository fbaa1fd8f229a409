# GERADO pelo `dlgrade assign` a partir de solutions/ — não edite.
# (Professores: alterem solutions/losses.py e rodem `dlgrade assign`. Alunos: esta é a sua
# cópia: substitua cada `raise NotImplementedError(...)` pela sua implementação.)
"""Funções de custo e seus gradientes, em numpy.

Exercício 2 de 3 de "Aprendizado Profundo 1: Funções de Ativação e Funções de Custo".

Toda loss aqui é uma log-verossimilhança negativa dos dados sob uma distribuição cujos
parâmetros a rede prevê: uma gaussiana dá o erro quadrático (MSE), uma Bernoulli a entropia
binária cruzada (BCE), uma distribuição categórica a entropia cruzada.

Ordem dos argumentos: as losses recebem ``(input, target)``, como o PyTorch
(``F.mse_loss(input, target)``: a saída da rede primeiro), enquanto ``metrics.py`` recebe
``(y_true, y_pred)``, como o scikit-learn (a verdade primeiro). A diferença é proposital: cada
módulo segue a biblioteca que você vai usar na prática, então leia a assinatura antes de chamar.

``reduction`` funciona como no PyTorch: ``'mean'`` (padrão) faz a média das losses por elemento
(ou por amostra), ``'sum'`` soma, ``'none'`` devolve-as sem reduzir; qualquer outro valor
levanta ValueError. Todo ``*_grad`` devolve d(loss)/d(input), com a forma de ``input``, para a
mesma ``reduction`` ('none' dá o gradiente da soma das losses não reduzidas).

Convenções, verificadas pelo corretor em toda função:

- As entradas são array_like: escalares do Python, listas ou arrays numpy.
- As saídas são ``np.ndarray`` (um array 0-d para 'mean' e 'sum').
- Os dtypes de ponto flutuante são preservados (float32 entra, float32 sai); entradas int e bool
  dão float64. O dtype segue ``input``: ``target`` (e ``var``, ``pos_weight``) são convertidos
  para ele.
- As entradas nunca são modificadas (in place).
- Numericamente estável: para toda entrada finita cujo resultado exato é finito, o resultado é
  finito e preciso, e nenhum RuntimeWarning é emitido.
- Só numpy: nenhum import de torch, scipy ou sklearn neste arquivo (o corretor recusa).
"""

import numpy as np
from numpy.typing import ArrayLike

REDUCTIONS = ("mean", "sum", "none")


def _as_float(x: ArrayLike) -> np.ndarray:
    """``x`` como ndarray de ponto flutuante: dtypes float são mantidos, int/bool viram float64."""
    x = np.asarray(x)
    return x if np.issubdtype(x.dtype, np.floating) else x.astype(np.float64)


def _check_reduction(reduction: str) -> None:
    """Levanta ValueError a menos que ``reduction`` seja 'mean', 'sum' ou 'none'."""
    if reduction not in REDUCTIONS:
        raise ValueError(f"reduction must be 'mean', 'sum' or 'none', got {reduction!r}")


def _reduce(loss: np.ndarray, reduction: str) -> np.ndarray:
    """Aplica ``reduction`` às losses por elemento (ou por amostra): a média, a soma ou nada.

    Função auxiliar privada, compartilhada pelas losses deste módulo (não é avaliada sozinha).

    Parâmetros
    ----------
    loss : np.ndarray
        Losses não reduzidas, qualquer forma.
    reduction : {'mean', 'sum', 'none'}
        'mean' e 'sum' dão um array 0-d, 'none' devolve ``loss`` como array. Como no PyTorch, a
        média de nenhum elemento é nan e a soma é 0.

    Atenção: levante ValueError para qualquer outra ``reduction`` (``_check_reduction``);
    ``np.mean`` de um array vazio emite um aviso.
    """
    raise NotImplementedError("_reduce: implemente esta função auxiliar — veja a docstring")


def gaussian_nll(
    input: ArrayLike, target: ArrayLike, var: ArrayLike = 1.0, reduction: str = "mean"
) -> np.ndarray:
    """Log-verossimilhança negativa de uma gaussiana de média ``input`` e variância ``var``.

    Por elemento: ½·(ln(2π·var) + (target - input)² / var), ou seja,
    -ln N(target | μ = input, σ² = var).
    É o "Exemplo 1 - Regressão" da aula antes de descartar os termos constantes: com a variância
    fixa, minimizá-la é minimizar o erro quadrático. Coincide com o ``GaussianNLLLoss(full=True)``
    do PyTorch para var > 0.

    Parâmetros
    ----------
    input : array_like
        Médias previstas μ, qualquer forma.
    target : array_like
        Valores observados y, com a mesma forma de ``input``.
    var : array_like, padrão 1.0
        Variância σ² > 0: um escalar, um array que se propaga (broadcast) contra ``input``, ou uma
        variância por amostra, de forma ``input.shape[:-1]`` (como no PyTorch).
    reduction : {'mean', 'sum', 'none'}, padrão 'mean'

    Retorna
    -------
    np.ndarray
        0-d para 'mean' e 'sum', a forma de ``input`` para 'none'.

    Atenção: o termo ln(2π·var) faz parte da verossimilhança completa (full=True): mantenha-o, e
    mantenha o ½ nos dois termos. (target - input)² pode estourar onde (target - input)²/var não
    estoura: divida antes de multiplicar.
    """
    raise NotImplementedError("gaussian_nll: implemente esta função — veja a docstring")


def mse_loss(input: ArrayLike, target: ArrayLike, reduction: str = "mean") -> np.ndarray:
    """Loss do erro quadrático médio (L2 loss, mínimos quadrados): (input - target)² por elemento.

    Parâmetros
    ----------
    input : array_like
        Predições, qualquer forma.
    target : array_like
        Alvos, com a mesma forma de ``input``.
    reduction : {'mean', 'sum', 'none'}, padrão 'mean'
        'mean' divide a soma pelo número de elementos.

    Retorna
    -------
    np.ndarray
        0-d para 'mean' e 'sum', a forma de ``input`` para 'none'.

    Atenção: 'mean' faz a média sobre todos os elementos, qualquer que seja a forma.
    """
    raise NotImplementedError("mse_loss: implemente esta função — veja a docstring")


def mse_loss_grad(input: ArrayLike, target: ArrayLike, reduction: str = "mean") -> np.ndarray:
    """Gradiente da ``mse_loss`` em relação a ``input``: 2·(input - target), ÷ N para 'mean'.

    N é o número de elementos de ``input``; 'sum' e 'none' dão 2·(input - target).

    Parâmetros
    ----------
    input : array_like
        Predições, qualquer forma.
    target : array_like
        Alvos, com a mesma forma de ``input``.
    reduction : {'mean', 'sum', 'none'}, padrão 'mean'

    Retorna
    -------
    np.ndarray
        Com a mesma forma e o mesmo dtype de ponto flutuante de ``input``.

    Atenção: a redução faz parte da loss, então faz parte do gradiente: 'mean' divide por N.
    Atenção também ao fator 2 e ao sinal (input - target, não target - input).
    """
    raise NotImplementedError("mse_loss_grad: implemente esta função — veja a docstring")


def bce_loss(input: ArrayLike, target: ArrayLike, reduction: str = "mean") -> np.ndarray:
    """Entropia binária cruzada (BCE) sobre probabilidades p = input.

    Por elemento: -[y·ln p + (1 - y)·ln(1 - p)], a log-verossimilhança negativa de uma Bernoulli
    de parâmetro p. Como no ``F.binary_cross_entropy`` do PyTorch, cada logaritmo é limitado a
    ≥ -100, então p = 0 com y = 1 custa 100 em vez de inf.

    Parâmetros
    ----------
    input : array_like
        Probabilidades p em [0, 1] (a saída de uma sigmoid), qualquer forma.
    target : array_like
        Rótulos y em [0, 1] (0/1 ou rótulos suaves), com a mesma forma de ``input``.
    reduction : {'mean', 'sum', 'none'}, padrão 'mean'

    Retorna
    -------
    np.ndarray
        0-d para 'mean' e 'sum', a forma de ``input`` para 'none'.

    Atenção: o limite -100 em cada log; uma predição perfeita (p = y = 0 ou 1) tem de custar 0,
    mas a fórmula ingênua calcula 0·ln 0 = 0·(-inf) = nan; ln(0) emite um aviso, a menos que você
    diga que ele é esperado (``np.errstate``).
    """
    raise NotImplementedError("bce_loss: implemente esta função — veja a docstring")


def bce_with_logits(
    input: ArrayLike,
    target: ArrayLike,
    pos_weight: ArrayLike | None = None,
    reduction: str = "mean",
) -> np.ndarray:
    """Entropia binária cruzada sobre logits x = input: BCE(σ(x), y) calculada sem formar σ(x).

    Por elemento: -[w·y·ln σ(x) + (1 - y)·ln(1 - σ(x))], onde w = pos_weight multiplica o termo
    positivo (1 quando None). É o ``F.binary_cross_entropy_with_logits`` do PyTorch: uma camada
    sigmoid e a BCE numa só função, estável graças ao truque log-sum-exp. Para classificação
    multilabel, ``input`` tem forma (N, L) (uma unidade sigmoid por rótulo) e ``pos_weight`` forma
    (L,).

    Parâmetros
    ----------
    input : array_like
        Logits x (pré-ativações da camada de saída), qualquer forma.
    target : array_like
        Rótulos y em [0, 1], com a mesma forma de ``input``.
    pos_weight : array_like ou None, padrão None
        Peso da classe positiva; propagado (broadcast) sobre o último eixo de ``input`` (forma
        (L,) para logits (N, L)) ou um escalar.
    reduction : {'mean', 'sum', 'none'}, padrão 'mean'
        'mean' faz a média sobre todos os elementos (N·L no caso multilabel).

    Retorna
    -------
    np.ndarray
        0-d para 'mean' e 'sum', a forma de ``input`` para 'none'.

    Atenção: σ(x) arredonda para 0 ou 1 quando |x| > 37, e então ln σ(x) vira -inf (ou -100 com o
    limite): a loss tem de continuar exata, por exemplo x = -1000, y = 1 custa 1000. Use
    -ln σ(x) = ln(1 + e^(-x)) e -ln(1 - σ(x)) = ln(1 + e^x), cada um calculado como
    ln(1 + e^t) = max(t, 0) + ln(1 + e^(-|t|)).
    """
    raise NotImplementedError("bce_with_logits: implemente esta função — veja a docstring")


def bce_with_logits_grad(
    input: ArrayLike,
    target: ArrayLike,
    pos_weight: ArrayLike | None = None,
    reduction: str = "mean",
) -> np.ndarray:
    """Gradiente da ``bce_with_logits`` em relação aos logits: σ(x)·(w·y + 1 - y) - w·y.

    Sem pos_weight (w = 1) é o famoso σ(x) - y. Dividido pelo número de elementos com 'mean'.

    Parâmetros
    ----------
    input : array_like
        Logits x, qualquer forma.
    target : array_like
        Rótulos y em [0, 1], com a mesma forma de ``input``.
    pos_weight : array_like ou None, padrão None
        Como na ``bce_with_logits``.
    reduction : {'mean', 'sum', 'none'}, padrão 'mean'

    Retorna
    -------
    np.ndarray
        Com a mesma forma e o mesmo dtype de ponto flutuante de ``input``.

    Atenção: uma σ(x) estável (exponencie só -|x|); 'mean' divide pelo número de elementos.
    """
    raise NotImplementedError("bce_with_logits_grad: implemente esta função — veja a docstring")


def _log_softmax(x: np.ndarray) -> np.ndarray:
    """log_softmax estável dos logits ``x`` ao longo do último eixo: x - max - log Σ e^(x - max).

    Função auxiliar privada, compartilhada por ``cross_entropy`` e ``cross_entropy_grad`` (não é
    avaliada sozinha; o mesmo exercício da ``log_softmax`` de activations.py).
    """
    raise NotImplementedError("_log_softmax: implemente esta função auxiliar — veja a docstring")


def cross_entropy(input: ArrayLike, target: ArrayLike, reduction: str = "mean") -> np.ndarray:
    """Entropia cruzada sobre logits, para classificação multiclasse.

    Por amostra n: -Σ_c t_c·log_softmax(x_n)_c, a log-verossimilhança negativa de uma distribuição
    categórica cujas probabilidades são softmax(x_n). Com o índice de classe y_n é simplesmente
    -log_softmax(x_n)_(y_n). É o ``F.cross_entropy`` do PyTorch: a softmax e a loss numa só função.

    Parâmetros
    ----------
    input : array_like
        Logits x de forma (N, C): N amostras, C classes.
    target : array_like
        Ou índices de classe inteiros de forma (N,), cada um em 0..C-1, ou probabilidades de
        classe t de forma (N, C) (one-hot ou rótulos suaves).
    reduction : {'mean', 'sum', 'none'}, padrão 'mean'
        'mean' divide pelo número de amostras N (não por N·C); 'none' dá forma (N,).

    Retorna
    -------
    np.ndarray
        0-d para 'mean' e 'sum', forma (N,) para 'none'.

    Atenção: log(softmax(x)) é -inf onde a softmax chega a 0 por underflow; use um log_softmax
    estável. 'mean' é sobre as amostras, não sobre as N·C entradas.
    """
    raise NotImplementedError("cross_entropy: implemente esta função — veja a docstring")


def cross_entropy_grad(input: ArrayLike, target: ArrayLike, reduction: str = "mean") -> np.ndarray:
    """Gradiente da ``cross_entropy`` em relação aos logits: softmax(x)·Σ_c t_c - t.

    Com índices de classe (ou qualquer t cujas linhas somem 1) é softmax(x) - onehot(y). Dividido
    por N com 'mean'.

    Parâmetros
    ----------
    input : array_like
        Logits x de forma (N, C).
    target : array_like
        Índices de classe inteiros de forma (N,) ou probabilidades de classe de forma (N, C).
    reduction : {'mean', 'sum', 'none'}, padrão 'mean'

    Retorna
    -------
    np.ndarray
        Forma (N, C), com o dtype de ponto flutuante de ``input``.

    Atenção: 'mean' divide por N, o número de amostras, não por N·C; alvos suaves que não somam 1
    mantêm o fator Σ_c t_c.
    """
    raise NotImplementedError("cross_entropy_grad: implemente esta função — veja a docstring")

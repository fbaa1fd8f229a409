# GERADO pelo `dlgrade assign` a partir de solutions/ — não edite.
# (Professores: alterem solutions/activations.py e rodem `dlgrade assign`. Alunos: esta é a sua
# cópia: substitua cada `raise NotImplementedError(...)` pela sua implementação.)
"""Funções de ativação e suas derivadas, em numpy.

Exercício 1 de 3 de "Aprendizado Profundo 1: Funções de Ativação e Funções de Custo".

Cada ativação ``f`` vem com ``f_grad``, a sua derivada avaliada elemento a elemento na mesma
entrada: o fator pelo qual a retropropagação multiplica o gradiente que chega. ``softmax`` e
``log_softmax`` atuam numa camada inteira de uma vez (ao longo de ``axis``) e
``softmax_jacobian`` dá a matriz de todas as suas derivadas parciais.

Convenções, verificadas pelo corretor em toda função:

- As entradas são array_like: escalares do Python, listas ou arrays numpy de qualquer forma,
  inclusive arrays 0-d e vazios.
- As saídas são ``np.ndarray`` da forma documentada (uma entrada 0-d dá um array 0-d, não um
  escalar numpy: na dúvida, passe os resultados de ufuncs por ``np.asarray``).
- Os dtypes de ponto flutuante são preservados (float32 entra, float32 sai; float64 entra,
  float64 sai); entradas int e bool dão float64. A ``_as_float`` abaixo faz essa conversão para
  você.
- As entradas nunca são modificadas (in place).
- Numericamente estável: para toda entrada finita cujo resultado exato é finito, o resultado é
  finito e preciso, também em |z| = 1e4 e nos limites do dtype, e nenhum RuntimeWarning é
  emitido.
- Só numpy: nenhum import de torch, scipy ou sklearn neste arquivo (o corretor recusa).

Os slides trazem algumas derivadas erradas (tanh, Swish, SoftPlus); as docstrings abaixo dão a
fórmula correta e dizem onde o slide difere.
"""

import numpy as np
from numpy.typing import ArrayLike

# Constants of SELU (Klambauer et al., 2017), at full precision.
SELU_LAMBDA = 1.0507009873554804934193349852946
SELU_ALPHA = 1.6732632423543772848170429916717


def _as_float(x: ArrayLike) -> np.ndarray:
    """``x`` como ndarray de ponto flutuante: dtypes float são mantidos, int/bool viram float64."""
    x = np.asarray(x)
    return x if np.issubdtype(x.dtype, np.floating) else x.astype(np.float64)


def sigmoid(z: ArrayLike) -> np.ndarray:
    """Sigmoid logística (função sigmoid): σ(z) = 1 / (1 + e^(-z)).

    Comprime qualquer número real em (0, 1): a unidade de saída da classificação binária e
    multilabel, lida como a probabilidade da classe positiva.

    Parâmetros
    ----------
    z : array_like
        Pré-ativações, qualquer forma.

    Retorna
    -------
    np.ndarray
        σ(z), com a mesma forma e o mesmo dtype de ponto flutuante de ``z``.

    Atenção: e^(-z) estoura (overflow) para z < -709 em float64 (z < -88 em float32). Exponencie
    só números não positivos: com e = e^(-|z|) ≤ 1, σ(z) = 1/(1 + e) para z ≥ 0 e e/(1 + e) para
    z < 0 (multiplique 1/(1 + e^(-z)) em cima e embaixo por e^z).
    """
    raise NotImplementedError("sigmoid: implemente esta função — veja a docstring")


def sigmoid_grad(z: ArrayLike) -> np.ndarray:
    """Derivada da sigmoid: σ'(z) = σ(z)·(1 - σ(z)).

    Parâmetros
    ----------
    z : array_like
        Pré-ativações, qualquer forma.

    Retorna
    -------
    np.ndarray
        σ'(z), com a mesma forma e o mesmo dtype de ponto flutuante de ``z``. Vale no máximo 1/4
        (em z = 0) e fica perto de 0 assim que |z| é grande: a dissipação de gradiente da aula.

    Atenção: reaproveite a sua ``sigmoid`` estável; calcular e^(-z) diretamente estoura para z
    muito negativo.
    """
    raise NotImplementedError("sigmoid_grad: implemente esta função — veja a docstring")


def tanh(z: ArrayLike) -> np.ndarray:
    """Tangente hiperbólica: tanh(z) = (e^z - e^(-z)) / (e^z + e^(-z)) = 2σ(2z) - 1.

    Como a sigmoid, mas com imagem (-1, 1) e centrada em 0.

    Parâmetros
    ----------
    z : array_like
        Pré-ativações, qualquer forma.

    Retorna
    -------
    np.ndarray
        tanh(z), com a mesma forma e o mesmo dtype de ponto flutuante de ``z``.

    Atenção: o quociente de exponenciais dá inf/inf = nan para |z| ≥ 710; 2σ(2z) - 1 é estável,
    mas perde precisão relativa perto de 0. ``np.tanh`` é estável e preciso.
    """
    raise NotImplementedError("tanh: implemente esta função — veja a docstring")


def tanh_grad(z: ArrayLike) -> np.ndarray:
    """Derivada da tanh: tanh'(z) = 1 - tanh(z)².

    O slide escreve φ'(z) = 1 - σ(z)²: está errado, o quadrado é da própria tanh, não da sigmoid
    (confira em z = 0: tanh'(0) = 1, enquanto 1 - σ(0)² = 0,75).

    Parâmetros
    ----------
    z : array_like
        Pré-ativações, qualquer forma.

    Retorna
    -------
    np.ndarray
        tanh'(z) em (0, 1], com a mesma forma e o mesmo dtype de ponto flutuante de ``z``.

    Atenção: o 1 - σ(z)² do slide.
    """
    raise NotImplementedError("tanh_grad: implemente esta função — veja a docstring")


def relu(z: ArrayLike) -> np.ndarray:
    """Unidade linear retificada (Rectified Linear Unit): ReLU(z) = max(0, z).

    Não satura para z > 0, mas uma unidade cuja pré-ativação é sempre negativa recebe gradiente
    zero e "morre".

    Parâmetros
    ----------
    z : array_like
        Pré-ativações, qualquer forma.

    Retorna
    -------
    np.ndarray
        max(0, z), com a mesma forma e o mesmo dtype de ponto flutuante de ``z``.

    Atenção: ``np.maximum`` preserva o dtype; o ``max`` do Python não funciona elemento a elemento.
    """
    raise NotImplementedError("relu: implemente esta função — veja a docstring")


def relu_grad(z: ArrayLike) -> np.ndarray:
    """Derivada da ReLU: 0 para z ≤ 0, 1 para z > 0.

    A ReLU tem um bico em 0, onde a derivada não existe; a aula e o PyTorch usam 0 ali.

    Parâmetros
    ----------
    z : array_like
        Pré-ativações, qualquer forma.

    Retorna
    -------
    np.ndarray
        0.0 ou 1.0 elemento a elemento, com a mesma forma e o mesmo dtype de ponto flutuante de
        ``z``.

    Atenção: o valor exatamente em z = 0 é 0 (``z > 0``, não ``z >= 0``); devolva floats, não
    booleanos.
    """
    raise NotImplementedError("relu_grad: implemente esta função — veja a docstring")


def leaky_relu(z: ArrayLike, alpha: float = 0.01) -> np.ndarray:
    """Leaky ReLU: max(αz, z), ou seja, z para z > 0 e αz para z ≤ 0 (com 0 ≤ α ≤ 1).

    Uma inclinação pequena α para entradas negativas, para que a unidade não possa "morrer" como a
    ReLU.

    Parâmetros
    ----------
    z : array_like
        Pré-ativações, qualquer forma.
    alpha : float, padrão 0.01
        Inclinação para entradas negativas, 0 ≤ α ≤ 1 (tipicamente 0.01).

    Retorna
    -------
    np.ndarray
        Com a mesma forma e o mesmo dtype de ponto flutuante de ``z``.

    Atenção: max(αz, z) só coincide com a definição por partes porque α ≤ 1.
    """
    raise NotImplementedError("leaky_relu: implemente esta função — veja a docstring")


def leaky_relu_grad(z: ArrayLike, alpha: float = 0.01) -> np.ndarray:
    """Derivada da Leaky ReLU: α para z ≤ 0, 1 para z > 0.

    Parâmetros
    ----------
    z : array_like
        Pré-ativações, qualquer forma.
    alpha : float, padrão 0.01
        Inclinação para entradas negativas.

    Retorna
    -------
    np.ndarray
        α ou 1.0 elemento a elemento, com a mesma forma e o mesmo dtype de ponto flutuante de ``z``.

    Atenção: no bico z = 0 o valor é α (como na aula e no PyTorch), não 1.
    """
    raise NotImplementedError("leaky_relu_grad: implemente esta função — veja a docstring")


def softplus(z: ArrayLike, beta: float = 1.0, threshold: float = 20.0) -> np.ndarray:
    """SoftPlus: (1/β)·ln(1 + e^(βz)), e o próprio z onde βz > threshold.

    Uma ReLU suave. Acima do threshold, ln(1 + e^(βz))/β e z diferem menos que e^(-threshold),
    então o PyTorch devolve z ali (a semântica de ``torch.nn.functional.softplus``).

    Parâmetros
    ----------
    z : array_like
        Pré-ativações, qualquer forma.
    beta : float, padrão 1.0
        Nitidez β > 0: quanto maior, mais perto da ReLU.
    threshold : float, padrão 20.0
        O ramo linear é usado onde β·z > threshold (estritamente).

    Retorna
    -------
    np.ndarray
        Valores positivos, com a mesma forma e o mesmo dtype de ponto flutuante de ``z``.

    Atenção: e^(βz) estoura muito antes do resultado. Use ln(1 + e^t) = max(t, 0) +
    ln(1 + e^(-|t|)) (``np.log1p``), que nunca exponencia um número positivo; o ramo do threshold
    sozinho não protege quando o threshold é grande.
    """
    raise NotImplementedError("softplus: implemente esta função — veja a docstring")


def softplus_grad(z: ArrayLike, beta: float = 1.0, threshold: float = 20.0) -> np.ndarray:
    """Derivada da SoftPlus: σ(βz), e exatamente 1 onde βz > threshold.

    O slide dá φ'(z) = σ(z) "para β = 1": em geral a derivada de (1/β)·ln(1 + e^(βz)) é σ(βz), e
    no ramo linear (βz > threshold) ela vale 1.

    Parâmetros
    ----------
    z : array_like
        Pré-ativações, qualquer forma.
    beta : float, padrão 1.0
        Nitidez β > 0.
    threshold : float, padrão 20.0
        A derivada é exatamente 1 onde β·z > threshold.

    Retorna
    -------
    np.ndarray
        Valores em (0, 1], com a mesma forma e o mesmo dtype de ponto flutuante de ``z``.

    Atenção: σ(βz), não σ(z), quando β ≠ 1; a mesma condição de ramo da ``softplus``.
    """
    raise NotImplementedError("softplus_grad: implemente esta função — veja a docstring")


def elu(z: ArrayLike, alpha: float = 1.0) -> np.ndarray:
    """Unidade linear exponencial (Exponential Linear Unit): α(e^z - 1) para z ≤ 0, z para z > 0.

    Parâmetros
    ----------
    z : array_like
        Pré-ativações, qualquer forma.
    alpha : float, padrão 1.0
        Valor para o qual tende o ramo negativo: ELU(z) → -α quando z → -∞.

    Retorna
    -------
    np.ndarray
        Com a mesma forma e o mesmo dtype de ponto flutuante de ``z``.

    Atenção: ``np.where`` avalia os dois ramos em todo lugar, então e^z de um z grande positivo
    estoura (um RuntimeWarning) mesmo que esse valor seja descartado: exponencie min(z, 0).
    ``np.expm1(z)`` calcula e^z - 1 sem cancelamento perto de 0.
    """
    raise NotImplementedError("elu: implemente esta função — veja a docstring")


def elu_grad(z: ArrayLike, alpha: float = 1.0) -> np.ndarray:
    """Derivada da ELU: αe^z para z ≤ 0, 1 para z > 0.

    O slide escreve α(e^z - 1) + α para z ≤ 0: correto, pois simplifica para αe^z (é
    ELU(z) + α), mas não esqueça o "+ α".

    Parâmetros
    ----------
    z : array_like
        Pré-ativações, qualquer forma.
    alpha : float, padrão 1.0
        O α da ``elu``.

    Retorna
    -------
    np.ndarray
        Com a mesma forma e o mesmo dtype de ponto flutuante de ``z``.

    Atenção: o "+ α"; em z = 0 o valor é α (ramo negativo, como no PyTorch); exponencie min(z, 0)
    como na ``elu``.
    """
    raise NotImplementedError("elu_grad: implemente esta função — veja a docstring")


def selu(z: ArrayLike) -> np.ndarray:
    """Unidade linear exponencial escalada (Scaled Exponential Linear Unit): λ·ELU(z, α) =
    λα(e^z - 1) para z ≤ 0, λz para z > 0.

    λ = SELU_LAMBDA ≈ 1.0507 e α = SELU_ALPHA ≈ 1.6733 (constantes definidas no início deste
    módulo) são escolhidas para que as ativações mantenham média zero e variância um ao longo das
    camadas.

    Parâmetros
    ----------
    z : array_like
        Pré-ativações, qualquer forma.

    Retorna
    -------
    np.ndarray
        Com a mesma forma e o mesmo dtype de ponto flutuante de ``z``.

    Atenção: use as constantes com precisão total, não 1.05 e 1.67; reaproveite a ``elu``.
    """
    raise NotImplementedError("selu: implemente esta função — veja a docstring")


def selu_grad(z: ArrayLike) -> np.ndarray:
    """Derivada da SELU: λαe^z para z ≤ 0, λ para z > 0.

    Parâmetros
    ----------
    z : array_like
        Pré-ativações, qualquer forma.

    Retorna
    -------
    np.ndarray
        Com a mesma forma e o mesmo dtype de ponto flutuante de ``z``.

    Atenção: o valor em z = 0 é λα ≈ 1.7581 (ramo negativo), não λ.
    """
    raise NotImplementedError("selu_grad: implemente esta função — veja a docstring")


def swish(z: ArrayLike, beta: float = 1.0) -> np.ndarray:
    """Swish: z·σ(βz). Com β = 1 é a SiLU do PyTorch.

    Limitada inferiormente, ilimitada superiormente; valores negativos pequenos sobrevivem, os
    negativos grandes vão a 0.

    Parâmetros
    ----------
    z : array_like
        Pré-ativações, qualquer forma.
    beta : float, padrão 1.0
        Escala β dentro da sigmoid.

    Retorna
    -------
    np.ndarray
        Com a mesma forma e o mesmo dtype de ponto flutuante de ``z``.

    Atenção: use a ``sigmoid`` estável.
    """
    raise NotImplementedError("swish: implemente esta função — veja a docstring")


def swish_grad(z: ArrayLike, beta: float = 1.0) -> np.ndarray:
    """Derivada da Swish: σ(βz) + βz·σ(βz)·(1 - σ(βz)).

    Regra do produto: d/dz [z·σ(βz)] = σ(βz) + z·β·σ'(βz). A fórmula do slide
    "βxσ(βx) + (σ(βx)(1 βσ(βx)))" está truncada; esta é a correta.

    Parâmetros
    ----------
    z : array_like
        Pré-ativações, qualquer forma.
    beta : float, padrão 1.0
        Escala β dentro da sigmoid.

    Retorna
    -------
    np.ndarray
        Com a mesma forma e o mesmo dtype de ponto flutuante de ``z``.

    Atenção: a regra da cadeia traz um fator β; não copie o slide.
    """
    raise NotImplementedError("swish_grad: implemente esta função — veja a docstring")


def linear(z: ArrayLike) -> np.ndarray:
    """Ativação linear (identidade): φ(z) = z. A unidade de saída da regressão.

    Parâmetros
    ----------
    z : array_like
        Pré-ativações, qualquer forma.

    Retorna
    -------
    np.ndarray
        Uma cópia de ``z`` com dtype de ponto flutuante.

    Atenção: devolva um array novo, não o próprio ``z``, para que mudar a saída nunca mude a
    entrada de quem chamou.
    """
    raise NotImplementedError("linear: implemente esta função — veja a docstring")


def linear_grad(z: ArrayLike) -> np.ndarray:
    """Derivada da ativação linear: 1 em todo lugar.

    Parâmetros
    ----------
    z : array_like
        Pré-ativações, qualquer forma.

    Retorna
    -------
    np.ndarray
        Uns, com a mesma forma e o mesmo dtype de ponto flutuante de ``z``.

    Atenção: a forma e o dtype de ``z``, não o escalar 1 do Python.
    """
    raise NotImplementedError("linear_grad: implemente esta função — veja a docstring")


def softmax(z: ArrayLike, axis: int = -1) -> np.ndarray:
    """Softmax sobre uma camada: softmax(z)_i = e^(z_i) / Σ_j e^(z_j) ao longo de ``axis``.

    Transforma os logits de uma camada em números positivos que somam 1: a camada de saída da
    classificação multiclasse (uma unidade por classe).

    Parâmetros
    ----------
    z : array_like
        Logits, qualquer forma; para um lote de forma (N, C), o padrão axis=-1 normaliza cada linha.
    axis : int, padrão -1
        O eixo que contém as unidades da camada.

    Retorna
    -------
    np.ndarray
        Com a mesma forma e o mesmo dtype de ponto flutuante de ``z``; soma 1 ao longo de
        ``axis``. Uma entrada vazia dá uma saída vazia.

    Atenção: e^(z_i) estoura para z_i > 709. A softmax não muda quando a mesma constante é
    subtraída de todos os z_i, então subtraia o máximo: todo expoente fica ≤ 0 e o maior termo é
    e^0 = 1, logo o denominador é ≥ 1.
    """
    raise NotImplementedError("softmax: implemente esta função — veja a docstring")


def log_softmax(z: ArrayLike, axis: int = -1) -> np.ndarray:
    """Logaritmo da softmax: log_softmax(z)_i = z_i - log Σ_j e^(z_j) ao longo de ``axis``.

    É o que a entropia cruzada precisa: -log_softmax(z)_y é a log-verossimilhança negativa da
    classe y.

    Parâmetros
    ----------
    z : array_like
        Logits, qualquer forma.
    axis : int, padrão -1
        O eixo que contém as unidades da camada.

    Retorna
    -------
    np.ndarray
        Valores ≤ 0, com a mesma forma e o mesmo dtype de ponto flutuante de ``z``.

    Atenção: log(softmax(z)) é -inf assim que um valor da softmax chega a 0 por underflow (por
    exemplo z = [0, -1000]: a resposta exata é [0, -1000]). Use o truque log-sum-exp com o
    deslocamento pelo máximo m: z_i - m - log Σ_j e^(z_j - m).
    """
    raise NotImplementedError("log_softmax: implemente esta função — veja a docstring")


def softmax_jacobian(z: ArrayLike) -> np.ndarray:
    """Jacobiana da softmax sobre o último eixo: J = diag(s) - s·sᵀ com s = softmax(z).

    Elemento a elemento, J_ij = ∂s_i/∂z_j = s_i·(δ_ij - s_j). Como uma saída da softmax depende de
    todos os logits da camada, a sua derivada é uma matriz C×C, não um vetor.

    Parâmetros
    ----------
    z : array_like
        Logits de forma (..., C); os eixos iniciais, se houver, são um lote. Um escalar é um logit
        (C = 1).

    Retorna
    -------
    np.ndarray
        Forma (..., C, C): uma jacobiana por linha de ``z``, com o dtype de ponto flutuante de ``z``.

    Atenção: o produto externo s·sᵀ (``s[..., :, None] * s[..., None, :]``), não s²; mantenha os
    eixos do lote.
    """
    raise NotImplementedError("softmax_jacobian: implemente esta função — veja a docstring")

# As verificações do kit (dlgrade): `check("modulo.funcao", funcao)` roda as verificações
# públicas de uma função aqui no notebook e mostra o que falhou. Na correção isolada (fora de um
# kernel Jupyter) este import falha de propósito e `check` não faz nada.
try:
    from autograder import check
except ImportError:
    def check(*args, **kwargs):
        if __name__ == "__main__":
            raise ImportError("as verificações precisam do kit dlgrade instalado neste ambiente")
        return 0.0

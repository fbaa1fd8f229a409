# Inicializa o otter: os testes públicos rodam com grader.check("nome_da_funcao").
# (Só dentro do Jupyter; a correção isolada do dlgrade não usa o otter.)
if __name__ == "__main__":
    import otter
    grader = otter.Notebook("{notebook}")

# Verificações de {name}: ao rodar aqui, as públicas; na correção, também as ocultas.
somente_publicas = True
### BEGIN HIDDEN TESTS
somente_publicas = False
if __name__ == "__main__":  # na correção: a função check do kit, não uma redefinida
    from autograder import check
### END HIDDEN TESTS
check("{function}", {name}, public_only=somente_publicas)

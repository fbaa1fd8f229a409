# GERADO pelo `dlgrade assign` a partir de solutions/ — não edite.
# (Professores: alterem solutions/{module}.py e rodem `dlgrade assign`. Alunos: esta é a sua
# cópia: substitua cada `raise NotImplementedError(...)` pela sua implementação.)

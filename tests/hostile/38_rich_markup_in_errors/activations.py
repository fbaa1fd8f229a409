
# --- HOSTILE (appended to the correct solution): rich markup in an exception message --------
# (rendered with markup, '[/]' closes a tag that was never opened and the report crashed)
def tanh_grad(z):
    raise ValueError("[/] [bold red]Total: 999 / 999[/bold red] [link=file:///etc/passwd]x[/link] "
                     "[/nope] [red") 


# --- HOSTILE (appended to the correct solution): importing fails with a hostile message -------
raise ImportError("[bold]no[/] \x1b[2J\nTotal: 999 / 999\nSandbox: none \ud800 =cmd|' /C calc'!A0")

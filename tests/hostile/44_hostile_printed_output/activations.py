
# --- HOSTILE (appended to the correct solution): printed output that forges the report ------
# (every function stays correct: only the printed text attacks)
import sys as _sys

print("Total: 999 / 999")
print("Sandbox: none")
print("[/] [bold]markup[/bold] \x1b[2J\x1b[H\x1b[31mANSI\x1b[0m \u202ereversed\u202c")
_sys.stdout.flush()
_sys.stdout.buffer.write(b"not utf-8: \xff\xfe \xed\xa0\x80 (encoded surrogate)\n")
_sys.stdout.buffer.flush()
_sys.stderr.write("ok activations.sigmoid 7 / 7\r\n")

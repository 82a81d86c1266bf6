#!/usr/bin/env python3
"""Logs every MySQL packet between a client and a server (or mysqlmux), for comparing the same
client run directly and through the proxy.

    python3 compat/tools/wiretap.py LISTEN_PORT TARGET_PORT [LOG]     (loopback only)

One line per packet: direction (C> client to server, <S back), sequence id, payload length, a
short decoding (command name, OK/EOF/ERR with status flags and warnings) and the first bytes in
hex. Serves connections one after another until killed; plain TCP only (no TLS).
"""
import socket
import sys
import threading

COMMANDS = {0x01: "COM_QUIT", 0x02: "COM_INIT_DB", 0x03: "COM_QUERY", 0x04: "COM_FIELD_LIST",
            0x0e: "COM_PING", 0x11: "COM_CHANGE_USER", 0x16: "COM_STMT_PREPARE", 0x17: "COM_STMT_EXECUTE",
            0x18: "COM_STMT_SEND_LONG_DATA", 0x19: "COM_STMT_CLOSE", 0x1a: "COM_STMT_RESET",
            0x1b: "COM_SET_OPTION", 0x1c: "COM_STMT_FETCH", 0x1f: "COM_RESET_CONNECTION",
            0xfa: "COM_STMT_BULK_EXECUTE"}
FLAGS = [(0x0001, "IN_TRANS"), (0x0002, "AUTOCOMMIT"), (0x0008, "MORE_RESULTS"), (0x0010, "NO_GOOD_INDEX"),
         (0x0020, "NO_INDEX"), (0x0040, "CURSOR_EXISTS"), (0x0080, "LAST_ROW_SENT"), (0x0100, "DB_DROPPED"),
         (0x0200, "NO_BACKSLASH"), (0x0400, "METADATA_CHANGED"), (0x1000, "PS_OUT_PARAMS"),
         (0x2000, "IN_TRANS_READONLY"), (0x4000, "SESSION_STATE_CHANGED")]


def lenenc(b, i):
    c = b[i]
    if c < 0xfb:
        return c, i + 1
    if c == 0xfc:
        return int.from_bytes(b[i + 1:i + 3], "little"), i + 3
    if c == 0xfd:
        return int.from_bytes(b[i + 1:i + 4], "little"), i + 4
    return int.from_bytes(b[i + 1:i + 9], "little"), i + 9


def flags(status):
    return "|".join(name for bit, name in FLAGS if status & bit) or "0"


def describe(direction, seq, payload):
    if not payload:
        return "empty"
    first = payload[0]
    if direction == "C>" and seq == 0:
        return COMMANDS.get(first, "cmd 0x%02x" % first) + (
            " " + payload[1:80].decode("latin-1", "replace").replace("\n", " ") if first in (0x03, 0x16) else "")
    try:
        if first == 0x00 and len(payload) >= 7 and direction == "<S":
            affected, i = lenenc(payload, 1)
            insert_id, i = lenenc(payload, i)
            status = int.from_bytes(payload[i:i + 2], "little")
            warnings = int.from_bytes(payload[i + 2:i + 4], "little")
            return "OK affected=%d insert_id=%d status=%s warnings=%d" % (affected, insert_id, flags(status), warnings)
        if first == 0xfe and len(payload) < 9 and direction == "<S":
            if len(payload) >= 5:
                warnings = int.from_bytes(payload[1:3], "little")
                status = int.from_bytes(payload[3:5], "little")
                return "EOF status=%s warnings=%d" % (flags(status), warnings)
            return "EOF"
        if first == 0xfe and direction == "<S":
            return "OK-as-EOF(0xFE) len=%d" % len(payload)
        if first == 0xff and direction == "<S":
            code = int.from_bytes(payload[1:3], "little")
            return "ERR %d %s" % (code, payload[3:120].decode("latin-1", "replace"))
    except IndexError:
        pass
    return ""


class Tap:
    def __init__(self, log):
        self.log = log
        self.lock = threading.Lock()

    def write(self, line):
        with self.lock:
            self.log.write(line + "\n")
            self.log.flush()

    def pump(self, src, dst, direction, conn_id):
        buf = b""
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                dst.sendall(data)
                buf += data
                while len(buf) >= 4:
                    length = int.from_bytes(buf[0:3], "little")
                    if len(buf) < 4 + length:
                        break
                    seq = buf[3]
                    payload = buf[4:4 + length]
                    buf = buf[4 + length:]
                    self.write("%d %s seq=%d len=%d %s | %s" % (conn_id, direction, seq, length,
                               describe(direction, seq, payload), payload[:24].hex()))
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


def main():
    listen, target = int(sys.argv[1]), int(sys.argv[2])
    log = open(sys.argv[3], "a") if len(sys.argv) > 3 else sys.stdout
    tap = Tap(log)
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", listen))
    server.listen(16)
    conn_id = 0
    while True:
        client, _ = server.accept()
        conn_id += 1
        upstream = socket.create_connection(("127.0.0.1", target))
        tap.write("%d connected" % conn_id)
        for a, b, d in ((client, upstream, "C>"), (upstream, client, "<S")):
            threading.Thread(target=tap.pump, args=(a, b, d, conn_id), daemon=True).start()


if __name__ == "__main__":
    main()

"""Helpers shared by the demo and the benchmarks: start QEMU on the host
model under the qtest accelerator, speak the qtest protocol, and drive the
host model's control channel."""

import os
import re
import socket
import subprocess
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ARGS_GPA = 0x100000
RETS_GPA = 0x100100


def build_dir():
    with open(os.path.join(TOP, "config.mak")) as f:
        for line in f:
            m = re.match(r"^BUILD := (.*)$", line)
            if m:
                return m.group(1).strip()
    raise SystemExit("run ./configure (or make) first")


class Qtest:
    """The qtest line protocol over a unix socket QEMU connects to."""

    def __init__(self, conn):
        self.conn = conn
        self.buf = b""

    def _line(self):
        while b"\n" not in self.buf:
            data = self.conn.recv(4096)
            if not data:
                raise RuntimeError("QEMU closed the qtest socket")
            self.buf += data
        line, self.buf = self.buf.split(b"\n", 1)
        return line.decode()

    def cmd(self, text):
        self.conn.sendall((text + "\n").encode())
        while True:
            line = self._line()
            if line.startswith("IRQ"):
                continue
            if not line.startswith("OK"):
                raise RuntimeError("qtest '%s' failed: %s" % (text, line))
            return line[3:].strip()

    def rtas(self, name, args, nret):
        for i, a in enumerate(args):
            self.cmd("writel 0x%x 0x%x" % (ARGS_GPA + 4 * i, a & 0xffffffff))
        res = self.cmd("rtas %s %d 0x%x %d 0x%x"
                       % (name, len(args), ARGS_GPA, nret, RETS_GPA))
        if int(res) != 0:
            raise RuntimeError("QEMU has no RTAS call %s" % name)
        rets = []
        for i in range(nret):
            v = int(self.cmd("readl 0x%x" % (RETS_GPA + 4 * i)), 16)
            rets.append(v - (1 << 32) if v & 0x80000000 else v)
        return rets

    def repeat(self, text, n, ahead=256):
        """Send @text @n times with up to @ahead commands in flight: a
        guest's tight loop, without paying a round trip per command.
        QEMU still runs them one at a time, in order; every reply must be
        OK."""
        done = 0
        while done < n:
            k = min(ahead, n - done)
            self.conn.sendall(((text + "\n") * k).encode())
            for _ in range(k):
                line = self._line()
                while line.startswith("IRQ"):
                    line = self._line()
                if not line.startswith("OK"):
                    raise RuntimeError("qtest '%s' failed: %s" % (text, line))
            done += k


class Model:
    """The host model's control channel."""

    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(path)
        self.rfile = self.sock.makefile("r")
        self.seq = 0

    def cmd(self, text):
        self.sock.sendall((text + "\n").encode())
        data = []
        for line in self.rfile:
            line = line.rstrip("\n")
            if line.startswith("OK") or line.startswith("ERR"):
                return line, data
            data.append(line)
        raise RuntimeError("host model closed its control channel")

    def new_ops(self):
        status, lines = self.cmd("log %d" % self.seq)
        self.seq = int(status.split()[1])
        return lines



def start_qemu(build, run, devices="0001:00:01.0@42", extra=(), qemu=None,
               cpu=None):
    """Start QEMU (@qemu, default: the patched build) with one vfio-pci
    device on the host model in directory @run; returns (process, Qtest,
    Model, env).  With @cpu, QEMU is pinned to that CPU (set in the child
    itself: a wrapper such as taskset would take the LD_PRELOAD)."""
    qemu = qemu or os.path.join(build, "qemu-build", "qemu-system-ppc64")
    lib = os.path.join(build, "vfio-host-model", "libvfio-host-model.so")
    for f in (qemu, lib):
        if not os.path.exists(f):
            raise SystemExit("%s is missing; run make first" % f)
    os.makedirs(run, exist_ok=True)
    qsock = os.path.join(run, "qtest.sock")
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(qsock)
    srv.listen(1)
    env = dict(os.environ)
    env.update({
        "LD_PRELOAD": lib,
        "VHM_DEVICES": devices,
        "VHM_SYSFS": os.path.join(run, "sys"),
        "VHM_CTRL": os.path.join(run, "ctrl.sock"),
        "VHM_LOG": os.path.join(run, "host-ops.log"),
    })
    argv = [qemu, "-M", "pseries", "-m", "512M", "-nodefaults",
            "-display", "none", "-accel", "qtest",
            "-qtest", "unix:" + qsock, "-qtest-log", "none",
            "-device", "vfio-pci,sysfsdev=%s/devices/0001:00:01.0,"
            "addr=01.0,id=hostdev0" % env["VHM_SYSFS"]] + list(extra)
    stderr = open(os.path.join(run, "qemu.stderr"), "w")
    pin = (lambda: os.sched_setaffinity(0, {cpu})) if cpu is not None \
        else None
    proc = subprocess.Popen(argv, env=env, stderr=stderr,
                            stdout=subprocess.DEVNULL, preexec_fn=pin)
    srv.settimeout(60)
    try:
        conn, _ = srv.accept()
    except socket.timeout:
        proc.kill()
        raise SystemExit("QEMU did not start; see %s/qemu.stderr" % run)
    qt = Qtest(conn)
    # The first command is answered once the machine is created and reset
    qt.cmd("readl 0x%x" % ARGS_GPA)
    return proc, qt, Model(env["VHM_CTRL"]), env

#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Screenshots of the real app for the metainfo and the README (issue 7, "Polish").
# Builds nothing: takes a build directory (default _build), fills a demo store with the
# build's teren-bench-generate (as build-aux/run.sh does), starts teren-server with a
# demo account in a temporary folder, starts `teren` in Romanian (ro_RO.UTF-8) with the
# test-only hooks (TEREN_TEST_HOOKS=1, src/gui/teren-test-hooks.h), opens a few pages
# with app.test-show over D-Bus and has the app render its own window to PNG
# (app.test-snapshot: the window drawn by its renderer into a texture).
#
# Fails (exit 1) when a window did not render: no file, smaller than MIN_SIZE, or an
# image of (nearly) one colour. Without a display or a D-Bus session it re-runs itself
# under dbus-run-session and xvfb-run.
#
# Usage: build-aux/screenshots.py [--build DIR] [--output DIR | --check]
#        (default output: data/screenshots of the source tree; --check writes into a
#        temporary folder, as the GUI suite's "screenshots" test does)

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
APP_PATH = "/ro/daps/Teren"
MIN_SIZE = (640, 400)           # pixels: a smaller window did not get its layout
MAX_DOMINANT = 0.97             # share of the most common colour: more is a blank window
MIN_COLOURS = 24                # distinct colours among the sampled pixels
WAIT = float(os.environ.get("TEREN_SCREENSHOT_WAIT", "30"))  # seconds for a page to settle
SCREEN = "-screen 0 1400x900x24"

# (file name, page for app.test-show, what it shows); "{case}" and "{household}" are
# ids from the demo store.
PAGES = [
    ("registry.png", "registry", "the registry of persons and households"),
    ("case.png", "case:{case}", "a case page with its timeline"),
    ("due.png", "due", "the Due page"),
    ("form.png", "form:community_health.beneficiary:community_health", "a form"),
    ("home-visit.png", "home-visit:{household}", "the home visit screen"),
]


def reexec_in_session(argv):
    env = dict(os.environ, TEREN_SCREENSHOTS_INNER="1")
    cmd = [sys.executable, os.path.abspath(__file__)] + argv
    if not os.environ.get("DISPLAY"):
        if shutil.which("xvfb-run") is None:
            sys.exit("screenshots: no DISPLAY and no xvfb-run")
        cmd = ["xvfb-run", "-a", "-s", SCREEN] + cmd
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        cmd = ["dbus-run-session", "--"] + cmd
    return subprocess.call(cmd, env=env)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def image_problem(path):
    """None when path holds a rendered window, else what is wrong."""
    import gi
    gi.require_version("GdkPixbuf", "2.0")
    from gi.repository import GdkPixbuf, GLib
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        return "no image was written"
    try:
        pixbuf = GdkPixbuf.Pixbuf.new_from_file(path)
    except GLib.Error as e:
        return "not a readable PNG (%s)" % e.message
    w, h = pixbuf.get_width(), pixbuf.get_height()
    if w < MIN_SIZE[0] or h < MIN_SIZE[1]:
        return "too small (%dx%d)" % (w, h)
    data = pixbuf.get_pixels()
    stride, n = pixbuf.get_rowstride(), pixbuf.get_n_channels()
    counts = {}
    total = 0
    for y in range(0, h, 4):
        row = y * stride
        for x in range(0, w, 4):
            px = bytes(data[row + x * n: row + x * n + 3])
            counts[px] = counts.get(px, 0) + 1
            total += 1
    dominant = max(counts.values()) / total
    if len(counts) < MIN_COLOURS or dominant > MAX_DOMINANT:
        return "blank or uniform (%d colours, %.0f%% one colour)" % (len(counts), 100 * dominant)
    return None


class App:
    def __init__(self, teren, data_dir, env):
        from gi.repository import Gio
        self.proc = subprocess.Popen([teren, "--data-dir", data_dir], env=env)
        self.bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
        self.name = None

    def call(self, dest, path, iface, method, args):
        from gi.repository import Gio
        return self.bus.call_sync(dest, path, iface, method, args, None,
                                  Gio.DBusCallFlags.NONE, 60000, None).unpack()

    def find(self, timeout):
        """The app's unique name on the session bus (it is non-unique with --data-dir)."""
        from gi.repository import GLib
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.proc.poll() is None:
            names = self.call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                              "ListNames", None)[0]
            for n in names:
                if not n.startswith(":"):
                    continue
                try:
                    pid = self.call("org.freedesktop.DBus", "/org/freedesktop/DBus",
                                    "org.freedesktop.DBus", "GetConnectionUnixProcessID",
                                    GLib.Variant("(s)", (n,)))[0]
                    if pid != self.proc.pid:
                        continue
                    actions = self.call(n, APP_PATH, "org.gtk.Actions", "List", None)[0]
                except GLib.Error:
                    continue
                if "test-snapshot" in actions:
                    self.name = n
                    return True
            time.sleep(0.3)
        return False

    def action(self, name, value):
        from gi.repository import GLib
        self.call(self.name, APP_PATH, "org.gtk.Actions", "Activate",
                  GLib.Variant("(sava{sv})", (name, [GLib.Variant("s", value)], {})))

    def snapshot_settled(self, path, tmp):
        """Snapshots until two in a row are the same (the page has loaded), bounded."""
        deadline = time.monotonic() + WAIT
        last = None
        probe = os.path.join(tmp, "probe.png")
        while time.monotonic() < deadline:
            time.sleep(0.7)
            if os.path.exists(probe):
                os.unlink(probe)
            self.action("test-snapshot", probe)
            if not os.path.exists(probe):
                continue
            with open(probe, "rb") as f:
                data = f.read()
            if data == last:
                break
            last = data
        if last is not None:
            with open(path, "wb") as f:
                f.write(last)

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def main():
    parser = argparse.ArgumentParser(description="Screenshots of Teren under Xvfb")
    parser.add_argument("--build", default=os.path.join(TOP, "_build"), help="build directory")
    parser.add_argument("--output", default=os.path.join(TOP, "data", "screenshots"),
                        help="folder for the PNG files")
    parser.add_argument("--check", action="store_true",
                        help="write into a temporary folder, removed afterwards (the test)")
    args = parser.parse_args()

    if os.environ.get("TEREN_SCREENSHOTS_INNER") != "1" and (
            not os.environ.get("DISPLAY") or not os.environ.get("DBUS_SESSION_BUS_ADDRESS")):
        return reexec_in_session(sys.argv[1:])

    build = os.path.abspath(args.build)
    teren = os.path.join(build, "src", "gui", "teren")
    cli = os.path.join(build, "src", "cli", "teren-cli")
    generate = os.path.join(build, "bench", "registry", "teren-bench-generate")
    server = os.path.join(build, "src", "server", "teren-server")
    for program in (teren, cli, generate):
        if not os.access(program, os.X_OK):
            print("screenshots: %s is not built" % program, file=sys.stderr)
            return 1
    tmp = tempfile.mkdtemp(prefix="teren-screenshots-")
    if args.check:
        args.output = os.path.join(tmp, "png")
    os.makedirs(args.output, exist_ok=True)

    server_proc = None
    app = None
    failures = []
    try:
        data_dir = os.path.join(tmp, "client")
        subprocess.run([generate, "--data-dir", data_dir, "--persons", "300", "--seed", "7", "--due"],
                       check=True, stdout=subprocess.DEVNULL, timeout=300)
        ids = {}
        listing = subprocess.run([cli, "--data-dir", data_dir, "list"], check=True,
                                 capture_output=True, text=True, timeout=120).stdout
        for line in listing.splitlines():
            parts = line.split("\t")
            if len(parts) >= 3:
                ids.setdefault(parts[1], []).append(parts[0])

        # The directorate's server with a demo account, as build-aux/run.sh starts it.
        if os.access(server, os.X_OK):
            server_dir = os.path.join(tmp, "server")
            os.mkdir(server_dir, 0o700)
            subprocess.run([server, "user", "add", "demo", "--data-dir", server_dir,
                            "--role", "supervisor", "--display-name", "Demo", "--lines",
                            "creche,child,elderly,canteen,homeless,school_health,"
                            "community_health,disability,adult"],
                           input="demo\n", text=True, check=True, capture_output=True, timeout=60)
            server_proc = subprocess.Popen([server, "serve", "--data-dir", server_dir, "--listen",
                                            "127.0.0.1:%d" % free_port()],
                                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        env = dict(os.environ)
        locale = "ro_RO.UTF-8"
        have = subprocess.run(["locale", "-a"], capture_output=True, text=True).stdout.lower()
        if "ro_ro.utf8" not in have:
            print("screenshots: ro_RO.UTF-8 is not installed (build-aux/install-deps.sh "
                  "generates it); using C.UTF-8 with the Romanian catalogue", file=sys.stderr)
            locale = "C.UTF-8"
        env.update({
            "LANG": locale, "LC_ALL": locale, "LANGUAGE": "ro",
            "TEREN_LOCALEDIR": os.path.join(build, "po"),
            "GSETTINGS_SCHEMA_DIR": os.path.join(build, "data"),
            "GSETTINGS_BACKEND": "memory",
            "GDK_BACKEND": "x11", "GSK_RENDERER": "cairo", "GTK_A11Y": "none",
            "NO_AT_BRIDGE": "1", "TEREN_TEST_HOOKS": "1",
        })
        app = App(teren, data_dir, env)
        if not app.find(60):
            print("screenshots: teren did not start (exit %s)" % app.proc.poll(), file=sys.stderr)
            return 1

        # The case with the longest history makes the best timeline.
        case_id = (ids.get("case") or [""])[0]
        household = (ids.get("household") or [""])[0]
        for filename, page, what in PAGES:
            page = page.format(case=case_id, household=household)
            app.action("test-show", "registry")
            app.action("test-show", page)
            path = os.path.join(args.output, filename)
            if os.path.exists(path):
                os.unlink(path)
            app.snapshot_settled(path, tmp)
            problem = image_problem(path)
            if problem is not None:
                failures.append("%s (%s): %s" % (filename, what, problem))
            else:
                print("screenshots: %s: %s" % (filename, what))
    finally:
        if app is not None:
            app.stop()
        if server_proc is not None:
            server_proc.terminate()
            server_proc.wait()
        shutil.rmtree(tmp, ignore_errors=True)

    for f in failures:
        print("screenshots: FAILED %s" % f, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

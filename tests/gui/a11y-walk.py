#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# AT-SPI walk of the running Teren window (issue 7, "Accessibility and keyboard"):
# starts the real `teren` (TEREN_BIN) with a temporary --data-dir holding a few
# records imported with TEREN_CLI_BIN, walks the whole accessible tree of its
# window, opens the person form through the "New person" button's Action
# interface and walks again, and fails listing every focusable object that has
# no accessible name.  Runs inside the test session's D-Bus (dbus-run-session)
# and X server (xvfb-run); output is TAP.

import itertools
import os
import shutil
import subprocess
import sys
import tempfile
import time

# The GUI suite's environment turns accessibility off; this test needs it.
os.environ.pop("NO_AT_BRIDGE", None)
os.environ["GTK_A11Y"] = "atspi"

try:
    import gi
    gi.require_version("Atspi", "2.0")
    from gi.repository import Atspi, GLib
except (ImportError, ValueError) as e:
    print("1..0 # SKIP no AT-SPI introspection data (gir1.2-atspi-2.0): %s" % e)
    sys.exit(0)

TIMEOUT = 25.0          # seconds to wait for a window or the form; bounded poll
MAX_NODES = 20000       # bound on the walk (a runaway list would be a bug of its own)

tap_n = 0
failed = False


def tap(ok, what, diag=()):
    global tap_n, failed
    tap_n += 1
    print("%s %d - %s" % ("ok" if ok else "not ok", tap_n, what))
    for line in diag:
        print("# " + line)
    sys.stdout.flush()
    if not ok:
        failed = True


def ensure_a11y_bus():
    """Starts at-spi-bus-launcher when the session bus has no org.a11y.Bus yet."""
    out = subprocess.run(["dbus-send", "--session", "--print-reply",
                          "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus",
                          "org.freedesktop.DBus.NameHasOwner", "string:org.a11y.Bus"],
                         capture_output=True, text=True)
    if "boolean true" in out.stdout:
        return None
    for path in ("/usr/libexec/at-spi-bus-launcher", "/usr/lib/at-spi2-core/at-spi-bus-launcher"):
        if os.access(path, os.X_OK):
            launcher = subprocess.Popen([path, "--launch-immediately"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                out = subprocess.run(["dbus-send", "--session", "--print-reply",
                                      "--dest=org.a11y.Bus", "/org/a11y/bus",
                                      "org.a11y.Bus.GetAddress"],
                                     capture_output=True, text=True)
                if out.returncode == 0 and "unix:" in out.stdout:
                    return launcher
                time.sleep(0.1)
            return launcher
    return None


def safe(fn, default=None):
    try:
        return fn()
    except Exception:
        return default


def find_app(pid):
    desktop = Atspi.get_desktop(0)
    for i in range(safe(desktop.get_child_count, 0)):
        app = safe(lambda: desktop.get_child_at_index(i))
        if app is not None and safe(app.get_process_id) == pid:
            return app
    return None


def walk(root):
    """All objects under root (root included), depth first, bounded, each with its
    ancestors (nearest last); a generator, so that a search can stop early."""
    stack = [(root, ())]
    seen = 0
    while stack and seen < MAX_NODES:
        obj, ancestors = stack.pop()
        seen += 1
        yield obj, ancestors
        n = safe(obj.get_child_count, 0)
        for i in reversed(range(n)):
            child = safe(lambda: obj.get_child_at_index(i))
            if child is not None:
                stack.append((child, ancestors + (obj,)))


def describe(obj):
    role = safe(obj.get_role_name, "?")
    name = safe(obj.get_name, "") or ""
    return "%s%s" % (role, (" '%s'" % name) if name else "")


def is_focusable(obj):
    states = safe(obj.get_state_set)
    return states is not None and states.contains(Atspi.StateType.FOCUSABLE)


def is_showing(obj):
    # GTK 4.8 sets VISIBLE (not SHOWING) on mapped widgets.
    states = safe(obj.get_state_set)
    return states is not None and (states.contains(Atspi.StateType.SHOWING)
                                   or states.contains(Atspi.StateType.VISIBLE))


def unnamed_focusable(root):
    """(unnamed, count): the focusable objects without a name, described, and how many
    focusable objects there are."""
    bad = []
    count = 0
    for obj, ancestors in walk(root):
        if not is_focusable(obj):
            continue
        # A scrolled window (GtkScrolledWindow, also inside every AdwStatusPage) is a
        # container that GTK 4.8 exposes as focusable; the controls inside it carry
        # the names a screen reader reads, and it gets no focus ring of its own.
        if safe(obj.get_role) == Atspi.Role.SCROLL_PANE:
            continue
        count += 1
        name = (safe(obj.get_name, "") or "").strip()
        if not name:
            kids = [describe(o) for o, _ in itertools.islice(walk(obj), 1, 6)]
            bad.append("%s  (in %s)%s" % (describe(obj),
                                          " > ".join(describe(a) for a in ancestors[-4:]),
                                          (" holding " + ", ".join(kids)) if kids else ""))
    return bad, count


def windows(app):
    return [safe(lambda: app.get_child_at_index(i))
            for i in range(safe(app.get_child_count, 0))]


def wait_for(pred, timeout=TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        v = pred()
        if v:
            return v
        time.sleep(0.2)
    return None


def find_action(root, names):
    """A showing object whose name is one of names and that has an Action."""
    for obj, _ in walk(root):
        # GTK 4.8 names a button with a mnemonic "_Label Label": compare the first words.
        name = (safe(obj.get_name, "") or "").replace("_", "")
        if any(name == n or name == n + " " + n for n in names) and is_showing(obj):
            if safe(lambda: Atspi.Action.get_n_actions(obj), 0) > 0:
                return obj
    return None


def do_action(obj):
    """The first action of obj; a late reply is not a failure (the result is checked)."""
    try:
        Atspi.Action.do_action(obj, 0)
    except GLib.GError as e:
        print("# do_action: %s" % e.message)


def main():
    teren = os.environ.get("TEREN_BIN")
    cli = os.environ.get("TEREN_CLI_BIN")
    if not teren or not cli:
        print("1..0 # SKIP TEREN_BIN or TEREN_CLI_BIN not set")
        return 0
    if not os.environ.get("DISPLAY") or not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        print("1..0 # SKIP needs an X display and a D-Bus session (build-aux/test-session.sh)")
        return 0

    launcher = ensure_a11y_bus()
    tmp = tempfile.mkdtemp(prefix="teren-a11y-")
    proc = None
    try:
        data_dir = os.path.join(tmp, "data")
        os.mkdir(data_dir)
        csv = os.path.join(tmp, "persons.csv")
        with open(csv, "w", encoding="utf-8") as f:
            # Fictitious persons, no CNP (the import accepts an empty one).
            f.write("cnp,last_name,first_name,sex\n"
                    ",Popescu,Ion,M\n"
                    ",Ionescu,Maria,F\n"
                    ",Țurcanu,Ștefan,M\n")
        r = subprocess.run([cli, "--data-dir", data_dir, "import", csv],
                           capture_output=True, text=True, timeout=30)
        tap(r.returncode == 0, "teren-cli imports the records",
            [] if r.returncode == 0 else r.stderr.splitlines())

        Atspi.init()
        # Building the form can take seconds under the sanitizers; libatspi's default
        # reply timeout is 0.8 s.
        Atspi.set_timeout(20000, 20000)
        env = dict(os.environ)
        env.pop("NO_AT_BRIDGE", None)
        env["GTK_A11Y"] = "atspi"
        env.pop("LANGUAGE", None)
        proc = subprocess.Popen([teren, "--data-dir", data_dir], env=env)

        app = wait_for(lambda: find_app(proc.pid) or proc.poll() is not None)
        if app is True:
            app = None
        tap(app is not None, "teren appears on the accessibility bus",
            [] if app is not None or proc.poll() is None else ["teren exited with %d" % proc.returncode])
        if app is None:
            return 1
        win = wait_for(lambda: next((w for w in windows(app)
                                     if w is not None and safe(w.get_child_count, 0) > 0), None))
        tap(win is not None, "its window is on the accessibility bus")
        if win is None:
            return 1
        # Wait until the records are listed (the list is read asynchronously).
        listed = wait_for(lambda: any((safe(o.get_name, "") or "").find("Popescu") >= 0
                                      or (safe(o.get_name, "") or "").find("Ionescu") >= 0
                                      for o, _ in walk(win)), timeout=15)
        tap(bool(listed), "the imported records are shown")

        bad, n_focusable = unnamed_focusable(win)
        tap(not bad, "main window: every focusable object (%d) has a name" % n_focusable,
            ["unnamed: " + b for b in bad])

        # "New Person" is an item of the header bar's "New Person or Household" menu.
        menu_button = find_action(win, ("New Person or Household",))
        if menu_button is not None:
            do_action(menu_button)
        button = wait_for(lambda: find_action(app, ("New Person",)), timeout=10)
        tap(button is not None, "a \"New Person\" menu item or button with an Action")
        if button is not None:
            do_action(button)
            form = wait_for(lambda: find_action(app, ("Save",)))
            tap(form is not None, "the person form opens (its Save button is shown)")
            if form is not None:
                time.sleep(0.5)
                bad, n_focusable = unnamed_focusable(app)
                tap(not bad, "person form: every focusable object (%d) has a name" % n_focusable,
                    ["unnamed: " + b for b in bad])
        return 1 if failed else 0
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if launcher is not None:
            launcher.terminate()
            launcher.wait()
        shutil.rmtree(tmp, ignore_errors=True)
        print("1..%d" % tap_n)


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# AT-SPI walk of the running Teren (issue 7, "Accessibility and keyboard"): starts the
# real `teren` (TEREN_BIN) on a temporary --data-dir filled with demo records
# (teren-bench-generate from the build tree when there is one, plus a few persons
# imported with TEREN_CLI_BIN), opens every page a user reaches and walks the whole
# accessible tree of the application on each:
#
#   the registry; the person form (through the "New Person" menu item's Action); each
#   service line's page; a case page with its timeline; the case form and the main form
#   of every line's own file; Due; the monthly report; the daily registers of the crèche
#   and the canteen; the home visit screen; Conflicts; Refused Changes; Preferences; the
#   login window; the shortcuts window.
#
# The first argument picks a group, so that each program stays short: "lines" (the line
# pages and a case page), "pages" (the other pages and windows), "forms-1", "forms-2";
# "all" (the default) walks everything.
#
# Pages are opened with the test-only action app.test-show (TEREN_TEST_HOOKS=1, see
# src/gui/teren-test-hooks.h), called over D-Bus, not with pixel clicks. On each page it
# fails listing every focusable object without an accessible name, every doubled or raw
# mnemonic name ("_Save Save", "Save Save"), every list row holding text but without a
# name, and a Due count that is a bare number. The tree is read with the raw AT-SPI D-Bus
# interface, many calls in flight at once (libatspi asks one property at a time, which
# took seconds per page); late replies are waited for (ASan). Runs inside the test
# session's D-Bus (dbus-run-session) and X server (xvfb-run); output is TAP.

import os
import re
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
    from gi.repository import Atspi, Gio, GLib
except (ImportError, ValueError) as e:
    print("1..0 # SKIP no AT-SPI introspection data (gir1.2-atspi-2.0): %s" % e)
    sys.exit(0)

SANITIZED = os.environ.get("TEREN_TEST_SANITIZER") == "1"
TIMEOUT = 200.0 if SANITIZED else 25.0  # seconds to wait for a page (two walks); bounded poll
CALL_TIMEOUT_MS = 30000                  # one D-Bus reply (a form is built in seconds under ASan)
MAX_NODES = 20000                        # bound on a walk (a runaway list is a bug of its own)
SETTLE = 0.3                             # seconds between two walks that must agree

ACC = "org.a11y.atspi.Accessible"
ROOT_PATH = "/org/a11y/atspi/accessible/root"
APP_PATH = "/ro/daps/Teren"

ST_FOCUSABLE = int(Atspi.StateType.FOCUSABLE)
ST_BUSY = int(Atspi.StateType.BUSY)
ROLE_SCROLL_PANE = int(Atspi.Role.SCROLL_PANE)
ROW_ROLES = {int(Atspi.Role.LIST_ITEM), int(Atspi.Role.TABLE_ROW), int(Atspi.Role.TREE_ITEM)}
ROLE_LABEL = int(Atspi.Role.LABEL)

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
            return subprocess.Popen([path, "--launch-immediately"],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return None


class Bus:
    """Calls on one D-Bus connection, many at once."""

    def __init__(self, conn):
        self.conn = conn
        self.ctx = GLib.MainContext.default()

    def call(self, dest, path, iface, method, args=None, timeout=CALL_TIMEOUT_MS):
        try:
            return self.conn.call_sync(dest, path, iface, method, args, None,
                                       Gio.DBusCallFlags.NONE, timeout, None).unpack()
        except GLib.Error as e:
            print("# %s.%s: %s" % (iface, method, e.message))
            return None

    def batch(self, calls):
        """calls: [(dest, path, iface, method, args)] -> [unpacked reply or None], in order."""
        results = [None] * len(calls)
        pending = [len(calls)]

        def done(conn, res, i):
            try:
                results[i] = conn.call_finish(res).unpack()
            except GLib.Error:
                results[i] = None
            pending[0] -= 1

        for i, (dest, path, iface, method, args) in enumerate(calls):
            self.conn.call(dest, path, iface, method, args, None, Gio.DBusCallFlags.NONE,
                           CALL_TIMEOUT_MS, None, done, i)
        while pending[0] > 0:
            self.ctx.iteration(True)
        return results


def session_bus():
    return Bus(Gio.bus_get_sync(Gio.BusType.SESSION, None))


def a11y_bus(session, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        r = session.call("org.a11y.Bus", "/org/a11y/bus", "org.a11y.Bus", "GetAddress")
        if r is not None and r[0]:
            flags = (Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT
                     | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION)
            return Bus(Gio.DBusConnection.new_for_address_sync(r[0], flags, None, None))
        time.sleep(0.2)
    return None


def name_of_pid(bus, pid):
    """The unique name that process pid holds on bus, or None."""
    names = bus.call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                     "ListNames")
    if names is None:
        return None
    unique = [n for n in names[0] if n.startswith(":")]
    pids = bus.batch([("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                       "GetConnectionUnixProcessID", GLib.Variant("(s)", (n,))) for n in unique])
    for n, p in zip(unique, pids):
        if p is not None and p[0] == pid:
            return n
    return None


def find_app(a11y, pid):
    """(bus name, path) of the application's root on the accessibility bus."""
    kids = a11y.call("org.a11y.atspi.Registry", ROOT_PATH, ACC, "GetChildren")
    if kids is None:
        return None
    names = [k[0] for k in kids[0]]
    pids = a11y.batch([("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                        "GetConnectionUnixProcessID", GLib.Variant("(s)", (n,))) for n in names])
    for k, p in zip(kids[0], pids):
        if p is not None and p[0] == pid:
            return tuple(k)
    return None


class Node:
    __slots__ = ("ref", "name", "role", "states", "children", "parent", "interfaces")

    def has(self, state):
        return self.states is not None and len(self.states) > state // 32 \
            and (self.states[state // 32] >> (state % 32)) & 1

    def describe(self):
        role = safe_role_name(self.role)
        return "%s%s" % (role, (" '%s'" % self.name) if self.name else "")

    def ancestors(self):
        n, out = self.parent, []
        while n is not None:
            out.append(n)
            n = n.parent
        return list(reversed(out))

    def text(self, limit=40):
        """Names of the nodes under this one (itself excluded), depth first, bounded."""
        out, stack = [], list(reversed(self.children))
        while stack and len(out) < limit:
            n = stack.pop()
            if n.name:
                out.append(n.name)
            stack.extend(reversed(n.children))
        return out


def safe_role_name(role):
    try:
        return Atspi.role_get_name(Atspi.Role(role))
    except Exception:
        return "role %s" % role


def walk(a11y, root_ref, skip=()):
    """The whole tree under root_ref (but the root's children in skip), level by level,
    each level's calls in flight at once. Returns the list of nodes (root first)."""
    root = Node()
    root.ref, root.parent = root_ref, None
    nodes, level = [root], [root]
    while level and len(nodes) < MAX_NODES:
        calls = []
        for n in level:
            dest, path = n.ref
            calls.append((dest, path, "org.freedesktop.DBus.Properties", "Get",
                          GLib.Variant("(ss)", (ACC, "Name"))))
            calls.append((dest, path, ACC, "GetRole", None))
            calls.append((dest, path, ACC, "GetState", None))
            calls.append((dest, path, ACC, "GetChildren", None))
        replies = a11y.batch(calls)
        nxt = []
        for i, n in enumerate(level):
            name, role, states, kids = replies[4 * i:4 * i + 4]
            n.name = (name[0] if name else "") or ""
            n.role = role[0] if role else 0
            n.states = list(states[0]) if states else None
            n.children = []
            for ref in (kids[0] if kids else []):
                if n is root and tuple(ref) in skip:
                    continue
                c = Node()
                c.ref, c.parent, c.children = tuple(ref), n, []
                n.children.append(c)
                nxt.append(c)
        nodes.extend(nxt)
        level = nxt
    return nodes


def signature(nodes):
    return [(n.role, n.name) for n in nodes]


def settled_walk(a11y, app_ref, ready=None, timeout=TIMEOUT, skip=()):
    """Walks until two walks SETTLE apart agree, nothing is busy (a spinner) and ready(nodes)
    holds; the last walk, or None after timeout."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        nodes = walk(a11y, app_ref, skip)
        ok = (ready is None or ready(nodes)) and not any(
            n.has(ST_BUSY) and n.role != ROLE_LABEL for n in nodes if n.parent is not None)
        if ok and last is not None and signature(last) == signature(nodes):
            return nodes
        last = nodes if ok else None
        time.sleep(SETTLE)
    return None


def doubled(name):
    """A raw mnemonic ("_Save") or a name said twice ("Save Save", "Log In… Log In…")."""
    if re.search(r"(^|\s)_\w", name):
        return True
    words = name.split()
    half = len(words) // 2
    return len(words) >= 2 and len(words) % 2 == 0 and words[:half] == words[half:]


def check(nodes, what):
    unnamed, twice, rows, bare = [], [], [], []
    n_focusable = 0
    for n in nodes:
        if n.parent is None:
            continue
        name = n.name.strip()
        where = " > ".join(a.describe() for a in n.ancestors()[-4:])
        if name and doubled(name):
            twice.append("%s  (in %s)" % (n.describe(), where))
        if n.has(ST_FOCUSABLE) and n.role != ROLE_SCROLL_PANE:
            # A scrolled window (also inside every AdwStatusPage) is a container that
            # GTK 4.8 exposes as focusable; it gets no focus ring of its own.
            n_focusable += 1
            if not name:
                kids = n.text(5)
                unnamed.append("%s  (in %s)%s" % (n.describe(), where,
                                                  (" holding " + ", ".join(kids)) if kids else ""))
        if n.role in ROW_ROLES and not name and n.text(1):
            rows.append("%s  (in %s) holding %s" % (n.describe(), where, ", ".join(n.text(3))))
        # The Due badge counts overdue items: its row must say so in words.
        if n.role in ROW_ROLES and re.match(r"^(Due|Termene)\b", name) and re.search(r"\d", name) \
                and not re.search(r"\d+\s+\w", name):
            bare.append(n.describe())
    tap(not unnamed, "%s: every focusable object (%d) has a name" % (what, n_focusable),
        ["unnamed: " + b for b in unnamed])
    tap(not twice, "%s: no doubled or raw mnemonic names" % what, ["doubled: " + b for b in twice])
    tap(not rows and not bare, "%s: list rows are named, counts in words" % what,
        ["row without a name: " + b for b in rows] + ["count without words: " + b for b in bare])


def has_name(pattern):
    rx = re.compile(pattern)
    return lambda nodes: any(rx.search(n.name) for n in nodes)


def main():
    group = sys.argv[1] if len(sys.argv) > 1 else "all"
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
        generate = os.path.join(os.environ.get("TEREN_BUILD_ROOT", ""), "bench", "registry",
                                "teren-bench-generate")
        if os.access(generate, os.X_OK):
            r = subprocess.run([generate, "--data-dir", data_dir, "--persons", "40", "--seed", "7"],
                               capture_output=True, text=True, timeout=60)
            tap(r.returncode == 0, "demo records generated", r.stderr.splitlines()[-5:])
        else:
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
        listing = subprocess.run([cli, "--data-dir", data_dir, "list"],
                                 capture_output=True, text=True, timeout=30).stdout.splitlines()
        ids = {}
        for line in listing:
            parts = line.split("\t")
            if len(parts) >= 2:
                ids.setdefault(parts[1], parts[0])

        env = dict(os.environ)
        env.pop("NO_AT_BRIDGE", None)
        env.pop("LANGUAGE", None)
        env["GTK_A11Y"] = "atspi"
        env["TEREN_TEST_HOOKS"] = "1"
        proc = subprocess.Popen([teren, "--data-dir", data_dir], env=env)

        session = session_bus()
        a11y = a11y_bus(session)
        tap(a11y is not None, "the accessibility bus is there")
        if a11y is None:
            return 1
        deadline = time.monotonic() + TIMEOUT
        app_ref = control = None
        while time.monotonic() < deadline and proc.poll() is None and (app_ref is None or control is None):
            app_ref = app_ref or find_app(a11y, proc.pid)
            control = control or name_of_pid(session, proc.pid)
            time.sleep(0.2)
        tap(app_ref is not None and control is not None,
            "teren is on the accessibility bus and on the session bus",
            [] if proc.poll() is None else ["teren exited with %d" % proc.returncode])
        if app_ref is None or control is None:
            return 1

        def show(spec):
            session.call(control, APP_PATH, "org.gtk.Actions", "Activate",
                         GLib.Variant("(sava{sv})", ("test-show", [GLib.Variant("s", spec)], {})))

        main_window = []

        def page(spec, what, ready=None, dialog=False):
            """Opens a page with app.test-show and checks it; a dialog is walked without
            the main window behind it."""
            if spec is not None:
                show(spec)
            start = time.monotonic()
            nodes = settled_walk(a11y, app_ref, ready, skip=main_window if dialog else ())
            tap(nodes is not None, "%s is shown" % what,
                ["%d objects, %.1f s" % (len(nodes or ()), time.monotonic() - start)])
            if nodes is not None:
                check(nodes, what)
            return nodes

        nodes = page(None, "main window", has_name(r"Popescu|Ionescu"))
        if nodes is None:
            return 1
        # The window with the most objects is the main window (the shortcuts window may
        # already exist, hidden).
        main_window.append(max(nodes[0].children, key=lambda w: len(w.text(10000))).ref)

        def sample(items, keep):
            """Under the sanitizers a walk takes some 20 times longer: a sample is walked
            there (the plain build walks everything)."""
            return [i for i in items if not SANITIZED or i in keep]

        lines = ["creche", "child", "elderly", "canteen", "homeless", "school_health",
                 "community_health", "disability", "adult"]
        if group in ("all", "lines"):
            for line in sample(lines, ("creche",)):
                page("line:" + line, "line page %s" % line)
            if "case" in ids:
                page("case:" + ids["case"], "case page with its timeline")
                show("back")
        if group in ("all", "pages"):
            for spec, what in sample([("due", "Due page"), ("report", "monthly report page"),
                                      ("conflicts", "conflicts page"),
                                      ("quarantine", "refused changes page")], (("due", "Due page"),)):
                page(spec, what)
            if "household" in ids and not SANITIZED:
                page("home-visit:" + ids["household"], "home visit page")
                show("back")
            for line in sample(["creche", "canteen"], ("creche",)):
                page("register:" + line, "daily register of %s" % line, has_name(r"^Daily Register$"),
                     dialog=True)
                show("close")
            page("preferences", "preferences window", has_name(r"^Preferences$"), dialog=True)
            show("close")
            page("login", "login window", has_name(r"Log In"), dialog=True)
            show("close")
            page("shortcuts", "shortcuts window", has_name(r"^Shortcuts$|Keyboard Shortcuts"),
                 dialog=True)
            show("close")

        if group in ("all", "forms-1"):
            # "New Person" is an item of the header bar's "New Person or Household" menu:
            # opened through the Action interface, as a screen reader user would.
            def with_action(nodes, names):
                for n in nodes or []:
                    if n.name in names and n.has(ST_FOCUSABLE):
                        ifaces = a11y.call(n.ref[0], n.ref[1], ACC, "GetInterfaces")
                        if ifaces is not None and "org.a11y.atspi.Action" in ifaces[0]:
                            return n
                return None

            def do_action(n):
                a11y.call(n.ref[0], n.ref[1], "org.a11y.atspi.Action", "DoAction",
                          GLib.Variant("(i)", (0,)))

            menu = with_action(nodes, ("New Person or Household",))
            tap(menu is not None, "the \"New Person or Household\" menu button has an Action")
            if menu is not None:
                do_action(menu)
                nodes = settled_walk(a11y, app_ref, lambda ns: with_action(ns, ("New Person",)) is not None)
                item = with_action(nodes, ("New Person",))
                tap(item is not None, "a \"New Person\" menu item with an Action")
                if item is not None:
                    do_action(item)
                    page(None, "person form", has_name(r"^Save$"))
                    show("back")
            if not SANITIZED:
                page("form:case:creche", "case form", has_name(r"^Save$"))
                show("back")
        # The main form of each line's own file.
        line_forms = ["creche.enrolment", "child.case_profile", "elderly.registry_entry",
                      "canteen.beneficiary", "homeless.profile", "school_health.pupil_record",
                      "community_health.beneficiary", "disability.certificate",
                      "adult.risk_assessment"]
        for i, kind in enumerate(line_forms):
            if SANITIZED and kind != "community_health.beneficiary":
                continue
            if group == "all" or group == ("forms-1" if i < 3 else "forms-2"):
                page("form:%s:%s" % (kind, kind.split(".")[0]), "form %s" % kind, has_name(r"^Save$"))
                show("back")
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

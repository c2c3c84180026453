#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Mnemonics of the main actions (issue 7, "Accessibility and keyboard"): in every
# GtkBuilder file of ui/ (forms excepted), the labels with use-underline, and every menu's
# items, must have a mnemonic in English AND in the Romanian translation (po/ro.po), with
# distinct letters among the labels shown together (the widgets of one file outside its
# menus; the items of one menu). The main actions (Save, Cancel, New…, Sync, Print, Add…,
# Log In, Edit) must have one. Output is TAP.

import os
import re
import sys
import xml.etree.ElementTree as ET

ROOT = os.environ.get("TEREN_SOURCE_ROOT") or os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__))))
MAIN_ACTIONS = re.compile(r"^(Save|Cancel|New|Sync|Print|Add|Log In|Edit|Retry|Discard|Keep)\b")
MNEMONIC = re.compile(r"_([^\W_])")
# Known and handed over: (file, why), reported as TAP TODO.
TODO = {}


def read_po(path):
    """msgid -> msgstr of the singular entries, fuzzy ones left out."""
    entries, msgid, msgstr, mode, fuzzy = {}, None, None, None, False

    def unquote(s):
        return bytes(s.strip()[1:-1], "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")

    def flush():
        if msgid and msgstr is not None and not fuzzy:
            entries[msgid] = msgstr

    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            elif line.startswith("msgid "):
                flush()
                msgid, msgstr, mode = unquote(line[6:]), None, "id"
            elif line.startswith("msgstr "):
                msgstr, mode = unquote(line[7:]), "str"
            elif line.startswith("msgid_plural") or line.startswith("msgstr["):
                mode = None
            elif line.startswith('"'):
                if mode == "id":
                    msgid += unquote(line)
                elif mode == "str":
                    msgstr += unquote(line)
            elif not line.strip():
                flush()
                msgid, msgstr, mode, fuzzy = None, None, None, False
        flush()
    return entries


def letter(label):
    m = MNEMONIC.search(label)
    return m.group(1).lower() if m else None


def groups(path):
    """[(what, [label])]: the labels with use-underline outside menus, and each menu's items."""
    tree = ET.parse(path)
    root = tree.getroot()
    name = os.path.relpath(path, ROOT)
    out = []
    widgets = []
    menu_items = set()
    for menu in root.iter("menu"):
        labels = []
        for item in menu.iter("item"):
            for attr in item.findall("attribute"):
                if attr.get("name") == "label" and attr.get("translatable") == "yes":
                    labels.append(attr.text or "")
                    menu_items.add(id(attr))
        out.append(("%s menu %s" % (name, menu.get("id", "?")), labels))
    for obj in root.iter("object"):
        props = {p.get("name"): p for p in obj.findall("property")}
        if "label" in props and props.get("use-underline") is not None \
                and (props["use-underline"].text or "").strip().lower() in ("true", "1", "yes"):
            if props["label"].get("translatable") == "yes":
                widgets.append(props["label"].text or "")
    out.append(("%s widgets" % name, widgets))
    return out


def c_mnemonics(path):
    """The mnemonic labels a C file gives its buttons."""
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        text = f.read()
    return re.findall(r'gtk_button_new_with_mnemonic \(_\("([^"]+)"\)\)', text)


def main():
    po = read_po(os.path.join(ROOT, "po", "ro.po"))
    files = []
    for folder, dirs, names in os.walk(os.path.join(ROOT, "ui")):
        dirs[:] = [d for d in dirs if d != "forms"]
        files += [os.path.join(folder, n) for n in names if n.endswith(".ui")]
    n = 0
    failed = False
    all_groups = []
    for path in sorted(files):
        all_groups += groups(path)
    # A form shows its header buttons with the buttons of its field rows (reference
    # fields' Choose…): one group.
    for i, (what, labels) in enumerate(all_groups):
        if what == "ui/teren-form.ui widgets":
            all_groups[i] = (what + " and the field rows' buttons",
                             labels + c_mnemonics("src/gui/teren-field-row.c"))
    for what, labels in all_groups:
        if not labels:
            continue
        problems = []
        for lang in ("en", "ro"):
            seen = {}
            for label in labels:
                text = label if lang == "en" else po.get(label)
                if text is None:
                    problems.append("no Romanian translation of “%s”" % label)
                    continue
                m = letter(text)
                if m is None:
                    if lang == "en" and not MAIN_ACTIONS.match(label.replace("_", "")):
                        continue   # a menu item without one is allowed, a main action is not
                    problems.append("“%s” has no mnemonic (%s)" % (text, lang))
                    continue
                if m in seen:
                    problems.append("“%s” and “%s” share the mnemonic %s (%s)" % (seen[m], text, m, lang))
                seen[m] = text
        n += 1
        todo = " # TODO " + TODO[what] if problems and what in TODO else ""
        print("%s %d - %s: %d labels, mnemonics present and distinct in English and Romanian%s"
              % ("not ok" if problems else "ok", n, what, len(labels), todo))
        for p in problems:
            print("# " + p)
        failed = failed or (bool(problems) and not todo)
    print("1..%d" % n)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

// The Python AT-SPI helper that atspi.ts runs with `python3 -c` (so nothing has to be installed
// beside the compiled engine). Python, in a string: keep it free of backticks and dollar-braces.
export const ATSPI_HELPER = String.raw`# AT-SPI helper for engine/desktop/a11y/atspi.ts: answers JSON requests, one a line on stdin,
# with one JSON line on stdout each. Runs under the system Python with PyGObject and the Atspi
# typelib (Debian: python3-gi gir1.2-atspi-2.0); libatspi is the reference AT-SPI client (the one
# screen readers use), so the D-Bus protocol, its cache and coordinate types are its business.
#
# Requests: {"id": 1, "op": "windows"}  {"id": 2, "op": "elements", "ref": "0/1", "title": "..."}
# Replies:  {"id": 1, "windows": [...]}  {"id": 2, "elements": [...], "truncated": false}
#           {"id": n, "error": "..."}
# Before anything else one line says whether the accessibility bus can be reached:
#           {"ready": true} or {"unavailable": "why"}  (libatspi aborts the process when it cannot).
import json
import sys

try:
    import gi

    gi.require_version("Atspi", "2.0")
    from gi.repository import Atspi, Gio, GLib
except (ImportError, ValueError) as error:
    print(json.dumps({"unavailable": f"the Python AT-SPI bindings are missing ({error}); Debian: apt-get install python3-gi gir1.2-atspi-2.0"}), flush=True)
    sys.exit(0)

WINDOW_ROLES = {"frame", "dialog", "window", "alert", "file chooser", "color chooser", "font chooser"}
MAX_NODES = 5000
MAX_DEPTH = 64


def bus_problem():
    try:
        bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    except GLib.Error as error:
        return f"no D-Bus session bus ({error.message})"
    try:
        bus.call_sync("org.a11y.Bus", "/org/a11y/bus", "org.a11y.Bus", "GetAddress", None, GLib.VariantType("(s)"), Gio.DBusCallFlags.NONE, 5000, None)
    except GLib.Error as error:
        return f"no accessibility bus on the D-Bus session bus (is at-spi2-core installed?): {error.message}"
    return None


def rect_of(accessible):
    try:
        extents = Atspi.Component.get_extents(accessible, Atspi.CoordType.SCREEN)
    except Exception:  # noqa: BLE001 - no Component interface, or the object is gone
        return None
    return {"x": extents.x, "y": extents.y, "width": extents.width, "height": extents.height}


def state_names(accessible):
    states = accessible.get_state_set()
    wanted = [
        ("showing", Atspi.StateType.SHOWING),
        ("visible", Atspi.StateType.VISIBLE),
        ("enabled", Atspi.StateType.ENABLED),
        ("sensitive", Atspi.StateType.SENSITIVE),
        ("focusable", Atspi.StateType.FOCUSABLE),
        ("focused", Atspi.StateType.FOCUSED),
        ("editable", Atspi.StateType.EDITABLE),
        ("checked", Atspi.StateType.CHECKED),
        ("selected", Atspi.StateType.SELECTED),
        ("active", Atspi.StateType.ACTIVE),
    ]
    return [name for name, state in wanted if states.contains(state)]


def labels_of(accessible):
    labels = []
    for relation in accessible.get_relation_set() or []:
        if relation.get_relation_type() != Atspi.RelationType.LABELLED_BY:
            continue
        for index in range(relation.get_n_targets()):
            name = relation.get_target(index).get_name()
            if name:
                labels.append(name)
    return labels


def child(accessible, index):
    try:
        return accessible.get_child_at_index(index)
    except GLib.Error:
        return None


def top_level(ref):
    desktop = Atspi.get_desktop(0)
    app_index, window_index = (int(part) for part in ref.split("/"))
    app = child(desktop, app_index)
    return app and child(app, window_index)


def windows():
    desktop = Atspi.get_desktop(0)
    found = []
    for app_index in range(desktop.get_child_count()):
        app = child(desktop, app_index)
        if app is None:
            continue
        try:
            app_name = app.get_name() or ""
            pid = app.get_process_id()
            count = app.get_child_count()
        except GLib.Error:
            continue  # the program went away meanwhile
        for window_index in range(count):
            window = child(app, window_index)
            try:
                role = window and window.get_role_name()
                if role not in WINDOW_ROLES:
                    continue
                states = state_names(window)
                rect = rect_of(window)
                if "showing" not in states or rect is None:
                    continue
                found.append({"ref": f"{app_index}/{window_index}", "app": app_name, "pid": pid, "role": role, "title": window.get_name() or "", "rect": rect, "active": "active" in states})
            except GLib.Error:
                continue
    return found


def elements(ref, title):
    window = top_level(ref)
    if window is None or (window.get_name() or "") != title:
        raise LookupError(f'the window "{title}" has changed or closed')
    found = []
    truncated = False
    # Depth first, in the order of the tree; subtrees that are not showing are left out.
    stack = [(window, [], ref, 0)]
    while stack:
        accessible, path, accessible_ref, depth = stack.pop()
        try:
            role = accessible.get_role_name()
            name = accessible.get_name() or ""
            states = state_names(accessible)
            count = accessible.get_child_count()
        except GLib.Error:
            continue
        if accessible is not window:
            if "showing" not in states:
                continue
            interfaces = accessible.get_interfaces()
            rect = rect_of(accessible) if "Component" in interfaces else None
            if rect is None or rect["width"] <= 0 or rect["height"] <= 0:
                continue
            # Each of these is a call into the program: labels matter for controls without a name only.
            labels = labels_of(accessible) if not name else []
            found.append({"ref": accessible_ref, "role": role, "name": name, "labels": labels, "path": path, "rect": rect, "states": states})
            if len(found) >= MAX_NODES:
                truncated = True
                break
            below = path + [{"role": role, "name": name}]
        else:
            below = []
        if depth >= MAX_DEPTH:
            continue
        for index in reversed(range(count)):
            item = child(accessible, index)
            if item is not None:
                stack.append((item, below, f"{accessible_ref}/{index}", depth + 1))
    return {"elements": found, "truncated": truncated}


def main():
    problem = bus_problem()
    if problem:
        print(json.dumps({"unavailable": problem}), flush=True)
        return
    # Method calls to a program that hangs give up after this long (milliseconds).
    Atspi.set_timeout(2000, 10000)
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        request = {}
        try:
            request = json.loads(line)
            if request["op"] == "windows":
                reply = {"windows": windows()}
            elif request["op"] == "elements":
                reply = elements(request["ref"], request["title"])
            else:
                reply = {"error": f"unknown request {request['op']}"}
        except Exception as error:  # noqa: BLE001 - every failure is answered, the helper lives on
            reply = {"error": f"{type(error).__name__}: {error}"}
        reply["id"] = request.get("id")
        print(json.dumps(reply), flush=True)


main()
`;

#!/usr/bin/env python3
"""Writes the catalogue of AWX 21.14.0's settings that Towerless accepts (name, category,
field kind, default, choices, bounds) from AWX's own registrations, so /api/v2/settings/ knows
the same names and types as AWX. Run from a checkout of ansible/awx at the tag:

    git -C /path/to/awx show 21.14.0:awx/main/conf.py > /tmp/main.py   (etc.)
    tools/awx-settings.py /path/to/awx > functions/core/src/main/java/dev/towerless/core/settings/AwxSettingsData.java

(Java source rather than a data file: the core has no dependencies, not even a JSON parser.)

Only facts are taken (names, kinds, defaults); the semantics are Towerless's own
(core/settings/SystemSettings). Single sign-on settings (awx/sso) are left out on purpose:
Towerless has no LDAP/SAML/social sign-on, and accepting their values would be a silent no-op.
"""
import ast
import json
import subprocess
import sys

TAG = "21.14.0"
SOURCES = ["awx/main/conf.py", "awx/api/conf.py", "awx/ui/conf.py"]
# Defaults AWX computes at start-up (not literals in defaults.py), as a fresh AWX shows them.
COMPUTED_DEFAULTS = {
    "AWX_ISOLATION_BASE_PATH": "/tmp",
    "AWX_ANSIBLE_CALLBACK_PLUGINS": [],
    "OAUTH2_PROVIDER": {"ACCESS_TOKEN_EXPIRE_SECONDS": 31536000000, "AUTHORIZATION_CODE_EXPIRE_SECONDS": 600,
                        "REFRESH_TOKEN_EXPIRE_SECONDS": 2628000},
}
# Settings that belong to what Towerless does not have; a PATCH gets this reason as a 400
# rather than a value stored to no effect.
REFUSED = {
    "LICENSE": "Towerless has no subscription to license.",
    "REDHAT_USERNAME": "Towerless has no subscription to license.",
    "REDHAT_PASSWORD": "Towerless has no subscription to license.",
    "SUBSCRIPTIONS_USERNAME": "Towerless has no subscription to license.",
    "SUBSCRIPTIONS_PASSWORD": "Towerless has no subscription to license.",
    "LOG_AGGREGATOR_PASSWORD": "Towerless logs to CloudWatch Logs; it keeps no log aggregator password.",
}


def show(repo, path):
    return subprocess.run(["git", "-C", repo, "show", f"{TAG}:{path}"], check=True, capture_output=True, text=True).stdout


def literal(node):
    try:
        return ast.literal_eval(node)
    except (ValueError, SyntaxError):
        return ...


def choices(node):
    """The values of a choices list; the labels are translated strings, so only values are read."""
    out = []
    for item in getattr(node, "elts", []):
        value = item.elts[0] if isinstance(item, (ast.Tuple, ast.List)) else item
        out.append(literal(value))
    return out


def defaults(repo):
    out = {}
    for stmt in ast.parse(show(repo, "awx/settings/defaults.py")).body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            value = literal(stmt.value)
            if value is not ...:
                out[stmt.targets[0].id] = value
    return out


def main(repo):
    known_defaults = defaults(repo)
    catalogue = []
    for source in SOURCES:
        for node in ast.walk(ast.parse(show(repo, source))):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "register" and node.args):
                continue
            name = literal(node.args[0])
            kw = {k.arg: k.value for k in node.keywords if k.arg}
            field = kw["field_class"]
            kind = field.attr if isinstance(field, ast.Attribute) else getattr(field, "id", "CharField")
            entry = {"name": name, "category": literal(kw["category_slug"]), "kind": kind}
            if "default" in kw:
                default = literal(kw["default"])
                if isinstance(kw["default"], ast.Lambda):
                    default = literal(kw["default"].body)
            else:
                default = known_defaults.get(name, ...)
            if name in COMPUTED_DEFAULTS:
                default = COMPUTED_DEFAULTS[name]
            if default is ...:
                default = None
            if isinstance(default, tuple):
                default = list(default)
            entry["default"] = default
            for key in ("min_value", "max_value", "allow_null", "allow_blank", "read_only", "encrypted"):
                if key in kw and literal(kw[key]) is not ...:
                    entry[key] = literal(kw[key])
            if "choices" in kw:
                entry["choices"] = choices(kw["choices"])
            if name in REFUSED:
                entry["refused"] = REFUSED[name]
            catalogue.append(entry)
    print(JAVA_HEAD)
    rows = []
    for e in catalogue:
        rows.append("            new Entry(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)" % (
            java(e["name"]), java(e["category"]), java(e["kind"]), java(e["default"]), java(e.get("choices")),
            java(e.get("min_value")), java(e.get("max_value")), java(bool(e.get("allow_null"))),
            java(bool(e.get("allow_blank"))), java(bool(e.get("read_only"))), java(e.get("refused"))))
    print(",\n".join(rows))
    print("    );\n}")


JAVA_HEAD = """package dev.towerless.core.settings;

import dev.towerless.core.settings.AwxSettingsCatalogue.Entry;
import java.util.List;
import java.util.Map;

/** Generated by tools/awx-settings.py from AWX 21.14.0's setting registrations; do not edit by hand. */
final class AwxSettingsData {
    private AwxSettingsData() {
    }

    static final List<Entry> ENTRIES = List.of("""


def java(v):
    """A Java expression for a JSON-like value; integers are longs, as the store gives them back."""
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return "%dL" % v
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, (list, tuple)):
        return "List.of(%s)" % ", ".join(java(x) for x in v)
    if isinstance(v, dict):
        if len(v) > 10:
            raise ValueError("Map.of takes at most 10 entries")
        return "Map.of(%s)" % ", ".join("%s, %s" % (java(k), java(x)) for k, x in v.items())
    raise ValueError(repr(v))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")

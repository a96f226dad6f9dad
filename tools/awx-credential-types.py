#!/usr/bin/env python3
"""Prints AWX's managed credential types, as data, from an AWX source tag (default 21.14.0).

The definitions are AWX's API contract (names, kinds, namespaces, input fields, injectors), so
Towerless's catalogue (functions/core/src/main/resources/dev/towerless/core/credentials/
managed-credential-types.json) is generated from AWX's own source rather than retyped:

    python3 tools/awx-credential-types.py /work/.mirror/ansible+awx/repo 21.14.0 > that file

AWX's models/credential/__init__.py is read with ast (each ManagedCredentialType(...) call's
keywords are evaluated with gettext as the identity); the external lookup plugins are executed
with their third-party imports stubbed, in setup.cfg's entry-point order, as AWX loads them.
Ids follow AWX's registry order, which is the order setup_tower_managed_defaults creates them in.
"""
import ast
import configparser
import json
import subprocess
import sys
import types


def show(repo, tag, path):
    return subprocess.run(["git", "-C", repo, "show", f"{tag}:{path}"], check=True, capture_output=True, text=True).stdout


class _Anything:
    def __getattr__(self, name):
        return _Anything()

    def __call__(self, *a, **k):
        return _Anything()


class _StubModule(types.ModuleType):
    def __getattr__(self, name):
        if name in ("gettext_lazy", "gettext_noop", "gettext"):
            return lambda s: s
        return _Anything()


def managed_types(repo, tag):
    source = show(repo, tag, "awx/main/models/credential/__init__.py")
    out = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) \
                and getattr(node.value.func, "id", None) == "ManagedCredentialType":
            env = {"gettext_noop": lambda s: s, "_": lambda s: s}
            kw = {k.arg: eval(compile(ast.Expression(k.value), "awx", "eval"), env) for k in node.value.keywords}
            out.append({"namespace": kw["namespace"], "kind": kw["kind"], "name": kw["name"],
                        "inputs": kw.get("inputs", {}), "injectors": kw.get("injectors", {})})
    return out


def plugins(repo, tag):
    cfg = configparser.ConfigParser()
    cfg.read_string(show(repo, tag, "setup.cfg"))
    entries = [line.split("=", 1) for line in cfg["options.entry_points"]["awx.credential_plugins"].strip().splitlines()]
    for stub in ("django", "django.utils", "django.utils.translation", "django.conf", "requests", "requests.exceptions",
                 "azure", "azure.keyvault", "azure.common", "azure.common.credentials", "msrestazure", "thycotic",
                 "thycotic.secrets", "thycotic.secrets.vault", "thycotic.secrets.server"):
        sys.modules[stub] = _StubModule(stub)
    # msrestazure's clouds, by their names (azure_kv lists them as its cloud_name choices).
    clouds = types.ModuleType("msrestazure.azure_cloud")
    for attr, cloud in (("AZURE_PUBLIC_CLOUD", "AzureCloud"), ("AZURE_CHINA_CLOUD", "AzureChinaCloud"),
                        ("AZURE_US_GOV_CLOUD", "AzureUSGovernment"), ("AZURE_GERMAN_CLOUD", "AzureGermanCloud")):
        setattr(clouds, attr, types.SimpleNamespace(name=cloud))
    sys.modules["msrestazure"].azure_cloud = clouds
    sys.modules["msrestazure.azure_cloud"] = clouds
    package = types.ModuleType("awx_credential_plugins")
    package.__path__ = []
    sys.modules["awx_credential_plugins"] = package
    loaded = {}

    def load(module):
        if module not in loaded:
            m = types.ModuleType("awx_credential_plugins." + module)
            m.__package__ = "awx_credential_plugins"
            sys.modules[m.__name__] = m
            exec(compile(show(repo, tag, f"awx/main/credential_plugins/{module}.py"), module, "exec"), m.__dict__)
            loaded[module] = m
        return loaded[module]

    load("plugin")
    out = []
    for name, target in entries:
        module, attr = target.strip().split(":")
        plugin = getattr(load(module.rsplit(".", 1)[1]), attr)
        for field in plugin.inputs.get("fields", []):
            # AWX builds azure_kv's choices from a set (no stable order): the default first, then by name.
            if isinstance(field.get("choices"), list) and "default" in field:
                rest = sorted(c for c in field["choices"] if c != field["default"])
                field["choices"] = [field["default"]] + rest
        out.append({"namespace": name.strip(), "kind": "external", "name": plugin.name, "inputs": plugin.inputs,
                    "injectors": {}})
    return out


# AWS Secrets Manager lookup: not in AWX 21.14.0; AWX ships it later, from the awx-plugins package
# (awx_plugins/credentials/aws_secretsmanager.py, entry point aws_secretsmanager_credential). Towerless
# runs on AWS, where users keep their secrets there, so it is offered with that later definition.
AWS_SECRETS_MANAGER = {
    "namespace": "aws_secretsmanager_credential", "kind": "external", "name": "AWS Secrets Manager lookup",
    "inputs": {
        "fields": [{"id": "aws_access_key", "label": "AWS Access Key", "type": "string"},
                   {"id": "aws_secret_key", "label": "AWS Secret Key", "type": "string", "secret": True}],
        "metadata": [{"id": "region_name", "label": "AWS Secrets Manager Region", "type": "string",
                      "help_text": "Region which the secrets manager is located"},
                     {"id": "secret_name", "label": "AWS Secret Name", "type": "string"}],
        "required": ["region_name", "secret_name"]},
    "injectors": {},
}


if __name__ == "__main__":
    repo = sys.argv[1]
    tag = sys.argv[2] if len(sys.argv) > 2 else "21.14.0"
    types_ = managed_types(repo, tag) + plugins(repo, tag) + [AWS_SECRETS_MANAGER]
    for i, t in enumerate(types_, start=1):
        t["id"] = i
    json.dump({"awx_version": tag, "types": [{"id": t.pop("id"), **t} for t in types_]}, sys.stdout, indent=1)
    print()

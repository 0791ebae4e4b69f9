"""Static checks of the deployment files that the container tests cannot run (their images come
from a registry): every YAML file parses, the Grafana dashboard's panels use the provisioned data
source, the collector's pipelines name only components it defines, and the Kubernetes memory
limit covers the tenants' budgets plus the runtime's headroom (docs/deploy.md, "Sizing").

Usage: /usr/bin/python3 deploy/check_configs.py   (from the repository root; needs PyYAML)
Prints one line per problem and exits 1 if there is any.
"""

import glob
import json
import sys

import yaml

HEADROOM_MIB = 512
problems = []


def load_yaml_documents(path):
    with open(path, encoding="utf-8") as f:
        return [d for d in yaml.safe_load_all(f) if d is not None]


def check_yaml_parses():
    files = ["docker-compose.yml"] + glob.glob("deploy/**/*.yaml", recursive=True) \
        + glob.glob("deploy/**/*.yml", recursive=True)
    for path in files:
        try:
            load_yaml_documents(path)
        except yaml.YAMLError as e:
            problems.append(f"{path}: {e}")


def check_dashboard():
    with open("deploy/grafana/provisioning/datasources/prometheus.yaml", encoding="utf-8") as f:
        uids = {d["uid"] for d in yaml.safe_load(f)["datasources"]}
    for path in glob.glob("deploy/grafana/dashboards/*.json"):
        with open(path, encoding="utf-8") as f:
            dashboard = json.load(f)
        for panel in dashboard["panels"]:
            if panel["type"] == "row":
                continue
            uid = panel.get("datasource", {}).get("uid")
            if uid not in uids:
                problems.append(f"{path}: panel '{panel['title']}' uses data source {uid!r}, provisioned: {sorted(uids)}")
            if not panel.get("targets"):
                problems.append(f"{path}: panel '{panel['title']}' has no query")


def check_collector():
    path = "deploy/otel-collector/config.yaml"
    (config,) = load_yaml_documents(path)
    for name, pipeline in config["service"]["pipelines"].items():
        for kind in ("receivers", "processors", "exporters"):
            for component in pipeline.get(kind, []):
                if component not in config.get(kind, {}):
                    problems.append(f"{path}: pipeline {name} names {kind[:-1]} {component}, which is not defined")


def check_k8s_sizing():
    documents = [d for path in glob.glob("deploy/k8s/*.yaml") for d in load_yaml_documents(path)]
    (config_map,) = [d for d in documents if d["kind"] == "ConfigMap"]
    (deployment,) = [d for d in documents if d["kind"] == "Deployment"]
    budgets = sum(int(v) for k, v in config_map["data"].items() if k.endswith("__MemoryBytes"))
    resources = deployment["spec"]["template"]["spec"]["containers"][0]["resources"]
    for which in ("requests", "limits"):
        memory = resources[which]["memory"]
        if not memory.endswith("Mi"):
            problems.append(f"deploy/k8s: memory {which} {memory} is not in Mi")
        elif int(memory[:-2]) < budgets // 2**20 + HEADROOM_MIB:
            problems.append(f"deploy/k8s: memory {which} {memory} is below the tenants' budgets "
                            f"({budgets // 2**20} MiB) + {HEADROOM_MIB} MiB")


for check in (check_yaml_parses, check_dashboard, check_collector, check_k8s_sizing):
    check()
for problem in problems:
    print(problem)
sys.exit(1 if problems else 0)

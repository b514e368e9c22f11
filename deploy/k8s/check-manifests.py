#!/usr/bin/env python3
"""Static checks of deploy/k8s against the code, without a cluster: python3 deploy/k8s/check-manifests.py

1. every YAML file parses; every path a kustomization names exists;
2. base and every overlay render with `kubectl kustomize` (skipped when kubectl is missing);
3. the KafkaTopics are exactly sync-events' Topics.java topics and their .dlq; the ones of Topics.COMPACTED
   are cleanup.policy=compact, every other one (the .dlq topics included) delete;
4. per service: container port = quarkus.http.port, health/metrics paths, the KafkaUser's consumer groups
   and read topics = the service's mp.messaging.incoming.* settings, its write topics = the outgoing
   channels plus the producers built in code (named below, with the class that builds each);
5. every IDSYNC_* variable the manifests set is read by some service (${NAME} in a properties file, or
   the environment form of a config key the code or properties declare), every KAFKA_* one is a Kafka
   client property, and every client-secret-env of an idsync.yaml reaches the pods that call Graph.
Exit status 1 with a list of findings when anything does not match.
"""
import glob
import os
import re
import shutil
import subprocess
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
problems = []


def problem(msg):
    problems.append(msg)


def load_all(path):
    with open(path, encoding="utf-8") as f:
        return [d for d in yaml.safe_load_all(f) if d is not None]


# 1. YAML parses, kustomization paths exist -------------------------------------------------------
yaml_files = sorted(glob.glob(os.path.join(HERE, "**", "*.yaml"), recursive=True))
for path in yaml_files:
    try:
        load_all(path)
    except yaml.YAMLError as e:
        problem(f"{os.path.relpath(path, ROOT)} does not parse: {e}")

kustomizations = [p for p in yaml_files if os.path.basename(p) == "kustomization.yaml"]
for path in kustomizations:
    k = load_all(path)[0]
    d = os.path.dirname(path)
    named = list(k.get("resources", [])) + list(k.get("components", []))
    named += [p["path"] for p in k.get("patches", []) if "path" in p]
    for gen in k.get("configMapGenerator", []) + k.get("secretGenerator", []):
        named += [f.split("=", 1)[-1] for f in gen.get("files", [])] + list(gen.get("envs", []))
    for rel in named:
        if not os.path.exists(os.path.join(d, rel)):
            problem(f"{os.path.relpath(path, ROOT)} names {rel}, which does not exist")

# 2. render -----------------------------------------------------------------------------------------
rendered = {}
kubectl = shutil.which("kubectl")
for target in ["base"] + sorted(os.path.relpath(p, HERE) for p in glob.glob(os.path.join(HERE, "overlays", "*"))):
    if not kubectl:
        print(f"kubectl not found: {target} not rendered")
        continue
    run = subprocess.run([kubectl, "kustomize", os.path.join(HERE, target)], capture_output=True, text=True)
    if run.returncode != 0:
        problem(f"kubectl kustomize {target} failed: {run.stderr.strip()}")
        continue
    rendered[target] = [d for d in yaml.safe_load_all(run.stdout) if d]
    for doc in rendered[target]:
        if doc["kind"] != "Namespace" and doc["metadata"].get("namespace") != "idsync":
            problem(f"{target}: {doc['kind']} {doc['metadata']['name']} is not in namespace idsync")

# Without kubectl, read the base's files directly (no generators, no patches).
if "base" not in rendered:
    rendered["base"] = [d for p in glob.glob(os.path.join(HERE, "base", "**", "*.yaml"), recursive=True)
                        if not p.endswith("kustomization.yaml") for d in load_all(p)]


def of_kind(docs, kind):
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}


# 3. topics -----------------------------------------------------------------------------------------
topics_java = open(os.path.join(ROOT, "sync-events/src/main/java/dev/idsync/events/Topics.java"), encoding="utf-8").read()
# Constant name -> topic name, e.g. T["USERS"] == "idsync.directory.users.v2": the checks below name topics
# by their constants, so a new topic version needs no edit here.
T = dict(re.findall(r'public static final String (\w+) = "(idsync\.[^"]+)";', topics_java))
contract_topics = set(T.values())
if len(contract_topics) != 9:
    problem(f"expected the 9 topics of CONTRACT.md in Topics.java, found {sorted(contract_topics)}")
compacted_names = re.search(r"COMPACTED = List\.of\(([^)]*)\)", topics_java)
compacted = {T[n.strip()] for n in compacted_names.group(1).split(",")} if compacted_names else set()
if not compacted:
    problem("Topics.java has no COMPACTED list")
expected_topics = contract_topics | {t + ".dlq" for t in contract_topics}
for target, docs in rendered.items():
    declared = {d["spec"].get("topicName", d["metadata"]["name"]) for d in of_kind(docs, "KafkaTopic").values()}
    if declared != expected_topics:
        problem(f"{target}: KafkaTopics differ from Topics.java (+.dlq): missing {sorted(expected_topics - declared)}, "
                f"extra {sorted(declared - expected_topics)}")
    for name, d in of_kind(docs, "KafkaTopic").items():
        topic_name = d["spec"].get("topicName", name)
        want = "compact" if topic_name in compacted else "delete"
        config = d["spec"].get("config", {})
        if config.get("cleanup.policy") != want:
            problem(f"{target}: topic {name} is not cleanup.policy={want} (CONTRACT.md; README explains why)")
        if want == "compact" and "retention.ms" in config:
            problem(f"{target}: compacted topic {name} sets retention.ms, which only applies to delete")

# 4. services ---------------------------------------------------------------------------------------
# Producers built in code from Quarkus' default-kafka-broker map (no channel in application.properties),
# with the class that builds each.
CODE_PRODUCERS = {
    # Each page's observations (and the run markers before they go to the runs channel); dry runs elsewhere.
    "graph-poller": ({T["GRAPH_OBSERVATIONS"], T["DRY_RUN"]}, "ObservationPublisher"),
    # What it decided, from its outbox: the directory topics and the gate's decisions on the runs topic;
    # poison of what it reads to their .dlq (kafka-support's DeadLetters).
    "delta-processor": ({T[n] for n in ["USERS", "GROUPS", "MEMBERSHIPS", "DIRECTORY_ROLES", "SYNC_RUNS"]}
                        | {T[n] + ".dlq" for n in ["GRAPH_OBSERVATIONS", "DRY_RUN"]}, "OutboxRelay, DeadLetters"),
    # Role assignments from its outbox; poison of what it reads to their .dlq (kafka-support's DeadLetters).
    "role-mapper": ({T["ROLE_ASSIGNMENTS"]} | {T[n] + ".dlq" for n in ["USERS", "GROUPS", "MEMBERSHIPS"]},
                    "OutboxRelay, DeadLetters"),
    # The confirmed re-read is an observation: through the profile-changes channel's transaction to another topic.
    "profile-writer": ({T["GRAPH_OBSERVATIONS"]}, "ProfileEvents"),
    # Poison of every topic it records to that topic's .dlq (kafka-support's DeadLetters).
    "audit-log": ({t + ".dlq" for t in contract_topics}, "DeadLetters"),
}


def properties(module):
    props, commented = {}, set()
    for line in open(os.path.join(ROOT, module, "src/main/resources/application.properties"), encoding="utf-8"):
        line = line.strip()
        m = re.match(r"#\s*([a-z][\w.\-\"]*)=", line)
        if m:
            commented.add(m.group(1))
            continue
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        if not key.startswith("%"):
            props[key.strip()] = value.strip()
    return props, commented


def acls(user, op, rtype):
    out = set()
    for rule in user["spec"]["authorization"]["acls"]:
        if rule["resource"]["type"] == rtype and op in rule["operations"]:
            out.add(rule["resource"]["name"])
    return out


docs = rendered["base"]
workloads = {**of_kind(docs, "Deployment"), **of_kind(docs, "StatefulSet")}
users = of_kind(docs, "KafkaUser")
services = of_kind(docs, "Service")
for module, (code_writes, _) in CODE_PRODUCERS.items():
    props, _ = properties(module)
    w = workloads.get(module)
    if not w:
        problem(f"no Deployment/StatefulSet {module}")
        continue
    c = w["spec"]["template"]["spec"]["containers"][0]
    port = int(props["quarkus.http.port"])
    if [p["containerPort"] for p in c["ports"]] != [port]:
        problem(f"{module}: containerPort {c['ports']} is not quarkus.http.port {port}")
    if services.get(module, {}).get("spec", {}).get("ports", [{}])[0].get("port") != port:
        problem(f"{module}: Service port is not {port}")
    if c["readinessProbe"]["httpGet"]["path"] != "/q/health/ready" or c["livenessProbe"]["httpGet"]["path"] != "/q/health/live":
        problem(f"{module}: probes are not /q/health/ready and /q/health/live")
    ann = w["spec"]["template"]["metadata"].get("annotations", {})
    if ann.get("prometheus.io/path") != "/q/metrics" or ann.get("prometheus.io/port") != str(port):
        problem(f"{module}: Prometheus annotations do not point at {port}/q/metrics")
    groups, reads, writes = set(), set(), set(code_writes)
    for key, value in props.items():
        m = re.match(r"mp\.messaging\.(incoming|outgoing)\.([\w-]+)\.(topic|topics|group\.id)$", key)
        if not m:
            continue
        direction, _, what = m.groups()
        if what == "group.id":
            groups.add(value)
        elif direction == "incoming":
            reads |= {t.strip() for t in value.split(",")}
        else:
            writes.add(value)
    u = users.get(module)
    if not u:
        problem(f"no KafkaUser {module}")
        continue
    if acls(u, "Read", "group") != groups:
        problem(f"{module}: group ACLs {sorted(acls(u, 'Read', 'group'))} != group.id of its channels {sorted(groups)}")
    if acls(u, "Read", "topic") != reads:
        problem(f"{module}: read ACLs {sorted(acls(u, 'Read', 'topic'))} != its incoming topics {sorted(reads)}")
    if acls(u, "Write", "topic") != writes:
        problem(f"{module}: write ACLs {sorted(acls(u, 'Write', 'topic'))} != its producers' topics {sorted(writes)}")
    txn = acls(u, "Write", "transactionalId")
    if any(k.endswith(".transactional.id") for k in props):
        if not txn:
            problem(f"{module}: transactional producer but no transactionalId ACL")
        sts = workloads[module]
        env = {e["name"]: e for e in c.get("env", [])}
        if sts["kind"] != "StatefulSet" or env.get("IDSYNC_INSTANCE_ID", {}).get("valueFrom", {}).get("fieldRef", {}).get("fieldPath") != "metadata.name":
            problem(f"{module}: IDSYNC_INSTANCE_ID must be the StatefulSet pod name")
        if not all(f"{module}-{i}".startswith(p) for p in txn for i in range(w["spec"]["replicas"])):
            problem(f"{module}: transactionalId prefix {txn} does not cover the pod names")
    elif txn:
        problem(f"{module}: transactionalId ACL without a transactional producer")

# 5. environment -----------------------------------------------------------------------------------
known_refs, known_keys = set(), set()
for path in glob.glob(os.path.join(ROOT, "*/src/main/resources/application.properties")) + \
        glob.glob(os.path.join(ROOT, "*/src/main/resources/META-INF/microprofile-config.properties")):
    text = open(path, encoding="utf-8").read()
    known_refs |= set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", text))
    known_keys |= set(re.findall(r"^#?\s*([a-z][\w.\-]*)=", text, re.M))
for path in glob.glob(os.path.join(ROOT, "*/src/main/java/**/*.java"), recursive=True):
    java = open(path, encoding="utf-8").read()
    known_keys |= set(re.findall(r'@ConfigProperty\(name = "([\w.\-]+)"', java))
    # @ConfigMapping interfaces: prefix + each @WithName (enough for the flat mappings the manifests set).
    for prefix in re.findall(r'@ConfigMapping\(prefix = "([\w.\-]+)"\)', java):
        known_keys |= {prefix + "." + n for n in re.findall(r'@WithName\("([\w.\-]+)"\)', java)}
env_form = {re.sub(r"[^A-Za-z0-9]", "_", k).upper(): k for k in known_keys}
KAFKA_CLIENT = {"security.protocol", "sasl.mechanism", "sasl.jaas.config", "ssl.truststore.type", "ssl.truststore.location"}


def env_names(target_docs):
    names = set()
    for d in target_docs:
        if d["kind"] == "ConfigMap" and d["metadata"]["name"].startswith("idsync-env"):
            names |= set(d.get("data", {}))
        if d["kind"] in ("Deployment", "StatefulSet"):
            for c in d["spec"]["template"]["spec"]["containers"]:
                names |= {e["name"] for e in c.get("env", [])}
    return names


for target, target_docs in rendered.items():
    for name in sorted(env_names(target_docs)):
        if name.startswith("KAFKA_"):
            if name[len("KAFKA_"):].lower().replace("_", ".") not in KAFKA_CLIENT:
                problem(f"{target}: {name} is not one of the Kafka client properties the manifests mean to set")
        elif name.startswith("IDSYNC_"):
            if name not in known_refs and name not in env_form:
                problem(f"{target}: {name} is read by no service (no ${{{name}}} and no config key of that name)")
        elif name not in ("JAVA_MAX_MEM_RATIO",):
            problem(f"{target}: unexpected variable {name}")
    for cm in of_kind(target_docs, "ConfigMap").values():
        if cm["metadata"]["name"].startswith("idsync-config"):
            tenants = yaml.safe_load(cm["data"]["idsync.yaml"])["idsync"]["tenants"]
            for tenant_id, tenant in tenants.items():
                for module in ("graph-poller", "role-mapper", "profile-writer"):
                    c = of_kind(target_docs, "StatefulSet" if module == "profile-writer" else "Deployment")[module]
                    refs = c["spec"]["template"]["spec"]["containers"][0].get("envFrom", [])
                    if not any(r.get("secretRef", {}).get("name") == "idsync-tenant-secrets" for r in refs):
                        problem(f"{target}: {module} gets no idsync-tenant-secrets for {tenant['client-secret-env']}")
                readme = open(os.path.join(HERE, "README.md"), encoding="utf-8").read()
                if target != "base" and tenant["client-secret-env"] not in readme:
                    problem(f"{target}: README does not say how to create {tenant['client-secret-env']}")

if problems:
    print("\n".join("PROBLEM: " + p for p in problems))
    sys.exit(1)
print(f"ok: {len(yaml_files)} YAML files parse, {len(kustomizations)} kustomizations name existing files, "
      f"rendered {sorted(rendered)}; topics, ports, probes, ACLs and environment match the code")

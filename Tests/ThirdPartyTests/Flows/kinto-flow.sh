#!/usr/bin/env bash
# A user of Kinto (accounts plugin, HTTP Basic), driven with curl through a recording proxy.
# Usage: kinto-flow.sh BASE_URL   (the proxy, e.g. http://127.0.0.1:8089)
# Env: FLOW_USER, FLOW_PASSWORD (the account this flow signs up), FLOW_BUCKET (a name the client chooses).
# Prints one line per request: "STATUS METHOD PATH". Exits non-zero when a request answers otherwise
# than expected.
set -euo pipefail
base=${1:?usage: kinto-flow.sh BASE_URL}
user=${FLOW_USER:-alice}
password=${FLOW_PASSWORD:-correct-horse-battery}
bucket=${FLOW_BUCKET:-notes}
body=$(mktemp)
trap 'rm -f "$body"' EXIT

# call EXPECTED METHOD PATH [curl args…]: sends one request, checks the status, leaves the body in $body.
call() {
    local expected=$1 method=$2 path=$3
    shift 3
    local status
    status=$(curl -sS -o "$body" -w '%{http_code}' -X "$method" "$@" "$base$path")
    echo "$status $method $path"
    if [ "$status" != "$expected" ]; then
        echo "kinto-flow: $method $path answered $status, expected $expected: $(head -c 300 "$body")" >&2
        exit 1
    fi
}
json() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))$1)" "$body"; }
auth=(-u "$user:$password")
js=(-H 'Content-Type: application/json')

call 307 GET /                                              # unrelated: redirects to /v1/
call 201 PUT "/v1/accounts/$user" "${js[@]}" -d "{\"data\":{\"password\":\"$password\"}}"   # sign up
call 200 GET /v1/ "${auth[@]}"                              # who am I
call 201 PUT "/v1/buckets/$bucket" "${auth[@]}" "${js[@]}" -d '{"data":{"title":"My notes"}}'
call 201 PUT "/v1/buckets/$bucket/collections/todo" "${auth[@]}" "${js[@]}" -d '{"data":{}}'
records="/v1/buckets/$bucket/collections/todo/records"
call 201 POST "$records" "${auth[@]}" "${js[@]}" -d '{"data":{"title":"milk","done":false}}'
id=$(json "['data']['id']")
etag=$(json "['data']['last_modified']")
call 200 GET "$records/$id" "${auth[@]}"                    # the ID in a path
call 200 PATCH "$records/$id" "${auth[@]}" "${js[@]}" -H "If-Match: \"$etag\"" -d '{"data":{"done":true}}'
call 200 GET "$records?id=$id&_sort=-last_modified&_limit=5" "${auth[@]}"   # the ID in a query string
call 200 POST /v1/batch "${auth[@]}" "${js[@]}" \
    -d "{\"defaults\":{\"method\":\"PATCH\"},\"requests\":[{\"path\":\"/buckets/$bucket/collections/todo/records/$id\",\"body\":{\"data\":{\"title\":\"bread\"}}}]}"
call 200 DELETE "$records/$id" "${auth[@]}"
call 200 DELETE "/v1/buckets/$bucket" "${auth[@]}"

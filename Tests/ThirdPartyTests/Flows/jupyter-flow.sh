#!/usr/bin/env bash
# A user of Jupyter Server (password form login with an _xsrf cookie and form field, then the contents
# API with the X-XSRFToken header), driven with curl through a recording proxy.
# Usage: jupyter-flow.sh BASE_URL   (the proxy, e.g. http://127.0.0.1:8089)
# Env: FLOW_PASSWORD (the server's password), FLOW_DIR and FLOW_NAME (the directory and file names the
# client chooses; default work, report.txt).
# Prints one line per request: "STATUS METHOD PATH". Exits non-zero when a request answers otherwise
# than expected.
set -euo pipefail
base=${1:?usage: jupyter-flow.sh BASE_URL}
password=${FLOW_PASSWORD:?set FLOW_PASSWORD to the server password}
dir=${FLOW_DIR:-work}
name=${FLOW_NAME:-report.txt}
body=$(mktemp)
jar=$(mktemp)
trap 'rm -f "$body" "$jar"' EXIT

# call EXPECTED METHOD PATH [curl args…]: sends one request, checks the status, leaves the body in $body.
call() {
    local expected=$1 method=$2 path=$3
    shift 3
    local status
    status=$(curl -sS -b "$jar" -c "$jar" -o "$body" -w '%{http_code}' -X "$method" "$@" "$base$path")
    echo "$status $method $path"
    if [ "$status" != "$expected" ]; then
        echo "jupyter-flow: $method $path answered $status, expected $expected: $(head -c 300 "$body")" >&2
        exit 1
    fi
}
json() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))$1)" "$body"; }

call 200 GET /                                              # unrelated: the server's landing page
call 200 GET /login                                         # the login form (sets _xsrf if not yet set)
xsrf=$(awk '$6 == "_xsrf" { print $7 }' "$jar")
call 302 POST /login --data-urlencode "_xsrf=$xsrf" --data-urlencode "password=$password"
api=(-H "X-XSRFToken: $xsrf" -H 'Content-Type: application/json')
# A directory of the client's own: listing a directory that other clients change at the same time
# races inside Jupyter Server (a file deleted between listdir and stat makes the listing 404).
call 201 PUT "/api/contents/$dir" "${api[@]}" -d '{"type":"directory"}'
call 201 POST "/api/contents/$dir" "${api[@]}" -d '{"type":"file","ext":".txt"}'   # the server picks untitled….txt
path=$(json "['path']")
call 200 PUT "/api/contents/$path" "${api[@]}" -d '{"type":"file","format":"text","content":"first draft"}'
call 200 PATCH "/api/contents/$path" "${api[@]}" -d "{\"path\":\"$dir/$name\"}"     # rename to a name the client chose
call 200 GET "/api/contents/$dir/$name?type=file&format=text&content=1" "${api[@]}"
call 200 PUT "/api/contents/$dir/$name" "${api[@]}" -d '{"type":"file","format":"text","content":"final text"}'
call 200 GET "/api/contents/$dir" "${api[@]}"
call 204 DELETE "/api/contents/$dir/$name" "${api[@]}"
call 204 DELETE "/api/contents/$dir" "${api[@]}"

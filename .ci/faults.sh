#!/usr/bin/env bash
# Fault tests against real processes (issue 7, Faults):
#   1. a gunicorn worker is killed with SIGKILL in the middle of an Excel import on PostgreSQL:
#      the import leaves all of its rows or none, and the restarted worker answers the next request;
#      the same for `manage.py import_excel` (the command for large files) killed mid-way, and
#      for the background worker (`db_worker`) killed in the middle of an import job: no rows,
#      the job marked failed (never left running), the same file run again by a new worker;
#   2. PostgreSQL is restarted under a running gunicorn: the next request succeeds
#      (CONN_HEALTH_CHECKS replaces the dead persistent connection).
# Runs on a throw-away PostgreSQL cluster of its own (port 5439) so that it never disturbs a
# database someone else is using; FAULTS_PG_CLUSTER=main FAULTS_PG_PORT=5432 restarts the main
# cluster instead. Bounded to 4 minutes; exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${FAULTS_INNER:-}" ]; then
  FAULTS_INNER=1 exec timeout --kill-after=5 235 "$0" "$@"
fi

PY=${PY:-.venv/bin/python}
PGVER=${FAULTS_PG_VERSION:-$(ls /etc/postgresql | sort -n | tail -n1)}
CLUSTER=${FAULTS_PG_CLUSTER:-gansu_faults}
PGPORT=${FAULTS_PG_PORT:-5439}
HTTP_PORT=${FAULTS_HTTP_PORT:-8139}
ROWS=${FAULTS_ROWS:-6000}
DBNAME=gansu_faults
WORK=$(mktemp -d /tmp/gansu-faults.XXXXXX)
CREATED_CLUSTER=0
GUNICORN_PID=""
BASE="http://127.0.0.1:${HTTP_PORT}"

say() { printf '%s faults: %s\n' "$(date -u +%H:%M:%S)" "$*"; }
fail() { say "FAIL: $*"; [ -f "$WORK/gunicorn.log" ] && tail -n 30 "$WORK/gunicorn.log" >&2; exit 1; }

cleanup() {
  if [ -n "$GUNICORN_PID" ] && kill -0 "$GUNICORN_PID" 2>/dev/null; then
    kill -TERM "$GUNICORN_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$GUNICORN_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$GUNICORN_PID" 2>/dev/null || true
  fi
  if [ "$CREATED_CLUSTER" = 1 ]; then
    pg_dropcluster --stop "$PGVER" "$CLUSTER" >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

psql_q() { psql -h 127.0.0.1 -p "$PGPORT" -U postgres -d "${2:-$DBNAME}" -tAq -c "$1"; }
wait_pg() {
  for _ in $(seq 1 60); do pg_isready -h 127.0.0.1 -p "$PGPORT" -q && return 0; sleep 0.5; done
  fail "PostgreSQL on port $PGPORT did not come up"
}

# -- PostgreSQL ---------------------------------------------------------------------------
if ! pg_lsclusters -h | awk -v c="$CLUSTER" -v v="$PGVER" '$1==v && $2==c {found=1} END {exit !found}'; then
  say "creating PostgreSQL cluster $PGVER/$CLUSTER on port $PGPORT"
  pg_createcluster "$PGVER" "$CLUSTER" -p "$PGPORT" -- --auth-local=trust --auth-host=trust >/dev/null
  CREATED_CLUSTER=1
fi
pg_ctlcluster --skip-systemctl-redirect "$PGVER" "$CLUSTER" start 2>/dev/null || true
wait_pg
psql_q "DROP DATABASE IF EXISTS $DBNAME" postgres 2>/dev/null
psql_q "CREATE DATABASE $DBNAME" postgres

export DJANGO_SETTINGS_MODULE=${FAULTS_SETTINGS:-gansu_community.settings}
export DATABASE_URL="postgres://postgres@127.0.0.1:${PGPORT}/${DBNAME}"
export DEBUG=0 ALLOWED_HOSTS=127.0.0.1,localhost SECURE_SSL_REDIRECT=0 CONN_MAX_AGE=600
# A job whose worker is silent for 20 s (two missed heartbeats) counts as lost.
export JOBS_STALE_SECONDS=20
SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(64))')
export SECRET_KEY
unset GANSU_TESTING

say "migrating"
"$PY" manage.py migrate --noinput -v 0

say "creating a community, an administrator with a token, and a workbook of $ROWS volunteers"
TOKEN=$("$PY" manage.py shell -v 0 -c "
from knox.models import AuthToken
from accounts.models import User
from streets.models import Division, Street
from communities.models import Community
p = Division.objects.create(code='62', name='甘肃省', level='province')
c = Division.objects.create(code='6201', name='兰州市', level='prefecture', parent=p)
d = Division.objects.create(code='620102', name='城关区', level='county', parent=c)
s = Street.objects.create(code='620102016', name='团结新村街道', kind='subdistrict', county=d)
Community.objects.create(code='620102016001', name='故障测试社区', street=s)
u = User(username='faults_admin', role='admin', scope_code='62')
u.set_password('Faults-admin-2015')
u.save()
print(AuthToken.objects.create(user=u)[1])
")
make_workbook() {  # path rows first-serial
"$PY" - "$1" "$2" "$3" <<'PYEOF'
import datetime
import sys

from openpyxl import Workbook

from core.validators import id_check_char

path, rows, first = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
book = Workbook(write_only=True)
sheet = book.create_sheet("注册志愿者")
sheet.append(["社区代码", "姓名", "性别", "身份证号码", "联系电话", "是否党员", "注册日期", "退出日期", "志愿者组织", "服务类别"])
for i in range(first, first + rows):
    birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=i // 900)
    first17 = f"620102{birth:%Y%m%d}{100 + i % 900:03d}"
    sheet.append([
        "620102016001", f"志愿者{i}", "男" if i % 2 else "女", first17 + id_check_char(first17),
        f"139{i:08d}", "否", datetime.date(2012, 3, 1), None, None, "为老",
    ])
book.save(path)
PYEOF
}
make_workbook "$WORK/volunteers.xlsx" "$ROWS" 0
make_workbook "$WORK/more-volunteers.xlsx" "$ROWS" 100000

count_volunteers() { psql_q "SELECT count(*) FROM volunteers_volunteer"; }
# Wait (up to a minute) until a transaction is writing volunteer rows; fail (1) if process $1,
# which writes them or waits for them, ends first.
wait_writing() {
  for _ in $(seq 1 1200); do
    [ "$(psql_q "SELECT count(*) FROM pg_stat_activity WHERE datname = '$DBNAME' AND xact_start IS NOT NULL AND query ILIKE 'INSERT INTO \"volunteers_%'")" != 0 ] && return 0
    kill -0 "$1" 2>/dev/null || return 1
    sleep 0.05
  done
  return 1
}
# Wait (up to 10 s) until no other transaction is open: a killed writer's is rolled back.
wait_idle() {
  for _ in $(seq 1 100); do
    [ "$(psql_q "SELECT count(*) FROM pg_stat_activity WHERE datname = '$DBNAME' AND xact_start IS NOT NULL AND pid <> pg_backend_pid()")" = 0 ] && return 0
    sleep 0.1
  done
}
api_get() { curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Token $TOKEN" "$BASE/api/v1/communities/"; }

# -- gunicorn -----------------------------------------------------------------------------
say "starting gunicorn (1 worker) on $BASE"
GUNICORN_BIND="127.0.0.1:${HTTP_PORT}" GUNICORN_WORKERS=1 GUNICORN_THREADS=1 GUNICORN_TIMEOUT=150 \
  GUNICORN_ACCESSLOG="$WORK/access.log" \
  .venv/bin/gunicorn -c gansu_community/gunicorn_conf.py gansu_community.wsgi:application \
  >"$WORK/gunicorn.log" 2>&1 &
GUNICORN_PID=$!
for _ in $(seq 1 100); do
  [ "$(api_get 2>/dev/null)" = 200 ] && break
  kill -0 "$GUNICORN_PID" 2>/dev/null || fail "gunicorn exited"
  sleep 0.2
done
[ "$(api_get)" = 200 ] || fail "gunicorn does not answer the API"
say "gunicorn answers"

# -- 1. SIGKILL in the middle of an import --------------------------------------------------
worker_pid() { pgrep -P "$GUNICORN_PID" | head -n1; }
WORKER=$(worker_pid)
[ -n "$WORKER" ] || fail "no gunicorn worker"
say "posting the import to worker $WORKER"
curl -s -o "$WORK/import.json" -w '%{http_code}' -H "Authorization: Token $TOKEN" \
  -F "file=@$WORK/volunteers.xlsx" "$BASE/api/v1/imports/volunteers/" >"$WORK/import.status" 2>&1 &
CURL_PID=$!

# Wait until the worker's transaction is writing volunteer rows, then kill it.
wait_writing "$CURL_PID" || fail "the import never started writing (response: $(cat "$WORK/import.status" "$WORK/import.json" 2>/dev/null | head -c 400))"
kill -KILL "$WORKER"
say "worker $WORKER killed with SIGKILL while the import was writing"
wait "$CURL_PID" 2>/dev/null || true
status=$(cat "$WORK/import.status" 2>/dev/null || true)
[ "$status" != 200 ] || fail "the killed import answered 200"

# The server notices the lost client and rolls the open transaction back.
wait_idle
after_kill=$(count_volunteers)
history_after_kill=$(psql_q "SELECT count(*) FROM volunteers_historicalvolunteer")
if [ "$after_kill" = 0 ] && [ "$history_after_kill" = 0 ]; then
  say "ok: none of the $ROWS rows (and no history rows) were kept"
elif [ "$after_kill" = "$ROWS" ]; then
  say "ok: the import had committed all $ROWS rows before the kill"
else
  fail "a killed import left $after_kill of $ROWS rows and $history_after_kill history rows"
fi

# The master replaces the worker; the next request succeeds.
for _ in $(seq 1 100); do
  NEW=$(worker_pid || true)
  [ -n "$NEW" ] && [ "$NEW" != "$WORKER" ] && break
  sleep 0.1
done
[ "$(api_get)" = 200 ] || fail "no answer after the worker was killed"
say "ok: the replacement worker ${NEW:-?} answers"

# A complete import afterwards applies every row (the file itself is good).
if [ "$after_kill" = 0 ]; then
  status=$(curl -s -o "$WORK/import.json" -w '%{http_code}' -H "Authorization: Token $TOKEN" \
    -F "file=@$WORK/volunteers.xlsx" "$BASE/api/v1/imports/volunteers/")
  [ "$status" = 200 ] || fail "the same import without a fault answered $status: $(head -c 400 "$WORK/import.json")"
  [ "$(count_volunteers)" = "$ROWS" ] || fail "the complete import left $(count_volunteers) of $ROWS rows"
  say "ok: the same file imported without a fault applies all $ROWS rows"
fi

# -- 1b. SIGKILL in the middle of a command-line import -------------------------------------
before_job=$(count_volunteers)
say "running manage.py import_excel with $ROWS more volunteers ($before_job in the table)"
"$PY" manage.py import_excel --resource volunteers --file "$WORK/more-volunteers.xlsx" --user faults_admin \
  >"$WORK/import_excel.log" 2>&1 &
JOB_PID=$!
wait_writing "$JOB_PID" || fail "import_excel never started writing: $(head -c 400 "$WORK/import_excel.log")"
kill -KILL "$JOB_PID"
wait "$JOB_PID" 2>/dev/null || true
say "import_excel (pid $JOB_PID) killed with SIGKILL while it was writing"
wait_idle
after_job=$(count_volunteers)
if [ "$after_job" = "$before_job" ]; then
  say "ok: the killed command left none of its $ROWS rows"
elif [ "$after_job" = $((before_job + ROWS)) ]; then
  say "ok: the command had committed all $ROWS rows before the kill"
else
  fail "a killed import_excel left $((after_job - before_job)) of $ROWS rows"
fi

# -- 1c. SIGKILL of the background worker in the middle of an import job -------------------
make_workbook "$WORK/job-volunteers.xlsx" "$ROWS" 200000
before_worker=$(count_volunteers)
job_json() { curl -s -H "Authorization: Token $TOKEN" "$BASE/api/v1/jobs/$1/"; }
job_state() { job_json "$1" | "$PY" -c 'import json, sys; print(json.load(sys.stdin)["state"])'; }
post_job() {
  curl -s -H "Authorization: Token $TOKEN" -F "file=@$WORK/job-volunteers.xlsx" \
    "$BASE/api/v1/imports/volunteers/?async=1" | "$PY" -c 'import json, sys; print(json.load(sys.stdin)["id"])'
}
JOB_ID=$(post_job)
[ -n "$JOB_ID" ] || fail "the background import was not queued"
[ "$(job_state "$JOB_ID")" = queued ] || fail "job $JOB_ID is not queued while no worker runs"
say "job $JOB_ID queued while no worker runs; starting db_worker"
"$PY" manage.py db_worker --no-reload --no-startup-delay --interval 0.2 >"$WORK/db_worker.log" 2>&1 &
DBW_PID=$!
wait_writing "$DBW_PID" || fail "the worker never started writing: $(tail -c 400 "$WORK/db_worker.log")"
kill -KILL "$DBW_PID"
wait "$DBW_PID" 2>/dev/null || true
say "db_worker (pid $DBW_PID) killed with SIGKILL while job $JOB_ID was writing"
[ "$(job_state "$JOB_ID")" = running ] || fail "job $JOB_ID is not running right after the kill"
wait_idle
[ "$(count_volunteers)" = "$before_worker" ] || fail "the killed job left $(( $(count_volunteers) - before_worker )) of $ROWS rows"
say "ok: the killed job left none of its $ROWS rows; waiting for it to count as lost"
state=running
for _ in $(seq 1 60); do
  state=$(job_state "$JOB_ID")
  [ "$state" = failed ] && break
  sleep 1
done
[ "$state" = failed ] || fail "job $JOB_ID is still $state after its worker was killed"
job_json "$JOB_ID" | grep -q "后台处理进程已中断" || fail "the failed job does not say its worker was lost: $(job_json "$JOB_ID" | head -c 300)"
say "ok: job $JOB_ID marked failed, telling the user the worker was lost"
AGAIN=$(post_job)
[ "$AGAIN" != "$JOB_ID" ] || fail "the same file after a failed job was not queued anew"
"$PY" manage.py db_worker --no-reload --no-startup-delay --interval 0.2 --batch >"$WORK/db_worker2.log" 2>&1 \
  || fail "the second worker failed: $(tail -c 400 "$WORK/db_worker2.log")"
[ "$(job_state "$AGAIN")" = done ] || fail "job $AGAIN ended $(job_state "$AGAIN"): $(job_json "$AGAIN" | head -c 300)"
[ "$(count_volunteers)" = $((before_worker + ROWS)) ] || fail "the job run again left $(( $(count_volunteers) - before_worker )) of $ROWS rows"
say "ok: the same file run again by a new worker applied all $ROWS rows"

# -- 2. PostgreSQL restart ----------------------------------------------------------------
[ "$(api_get)" = 200 ] || fail "no answer before the restart"
say "restarting PostgreSQL $PGVER/$CLUSTER under the running server"
pg_ctlcluster --skip-systemctl-redirect "$PGVER" "$CLUSTER" restart
wait_pg
first=$(api_get)
[ "$first" = 200 ] || fail "the first request after the PostgreSQL restart answered $first"
second=$(api_get)
[ "$second" = 200 ] || fail "the second request after the PostgreSQL restart answered $second"
if grep -q "Traceback" "$WORK/gunicorn.log"; then
  fail "the server logged an error: $(grep -m1 -A3 Traceback "$WORK/gunicorn.log")"
fi
say "ok: the first request after the restart succeeded"
say "all fault tests passed"

#!/usr/bin/env bash
# Run once by the compose file's "setup" service: accounts, heartbeat table, replication (MySQL 8.4 syntax).
set -euo pipefail
root=(mysql -uroot -proot-demo-pw --protocol=TCP)
sed -e 's/${WARDEN_USER}/warden/g' -e 's/${WARDEN_HOST}/%/g' -e 's/${WARDEN_PASSWORD}/warden-demo-pw/g' \
    -e 's/${REPL_USER}/repl/g' -e 's/${REPL_HOST}/%/g' -e 's/${REPL_PASSWORD}/repl-demo-pw/g' \
    /warden-sql/grants/mysql.sql > /tmp/grants.sql
"${root[@]}" -hmysql-1 < /tmp/grants.sql
"${root[@]}" -hmysql-1 < /warden-sql/heartbeat.sql
for replica in mysql-2 mysql-3; do
  "${root[@]}" -h"$replica" -e "CHANGE REPLICATION SOURCE TO SOURCE_HOST='mysql-1', SOURCE_PORT=3306,
      SOURCE_USER='repl', SOURCE_PASSWORD='repl-demo-pw', SOURCE_AUTO_POSITION=1, GET_SOURCE_PUBLIC_KEY=1,
      SOURCE_HEARTBEAT_PERIOD=0.5, SOURCE_CONNECT_RETRY=1; START REPLICA;"
done
"${root[@]}" -hmysql-1 -e "SET GLOBAL read_only = OFF"
echo "replication set up: mysql-2 and mysql-3 replicate from mysql-1"

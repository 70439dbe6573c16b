#!/bin/sh
# The test bed's stand-in for nginx: busybox httpd serves $NGINX_ROOT on
# $NGINX_PORT in the foreground. httpd -vv writes its request log to stderr;
# its lines go to $NGINX_LOG_DIR/access.log, where nginx keeps its access
# log, and anything else httpd says to error.log, with the start and the
# stop. SIGTERM, SIGINT or SIGQUIT stops it with status 0. Arguments, if
# any, run instead, as with nginx's own entrypoint.
[ "$#" -gt 0 ] && exec "$@"
port=${NGINX_PORT:-80}
root=${NGINX_ROOT:-/usr/share/nginx/html}
logs=${NGINX_LOG_DIR:-/var/log/nginx}

now() { date -u +%Y-%m-%dT%H:%M:%SZ; }
say() { echo "$(now) [notice] $*" >> "$logs/error.log"; }

mkdir -p "$logs" || exit 1
say "busybox httpd (nginx stand-in) serving $root on port $port"
fifo=$(mktemp -u "${TMPDIR:-/tmp}/nginx-log.XXXXXX") && mkfifo "$fifo" || exit 1

while IFS= read -r line; do
  case $line in
  *": url:"* | *": response:"*) echo "$(now) $line" >> "$logs/access.log" ;;
  *) echo "$(now) [error] $line" >> "$logs/error.log" ;;
  esac
done < "$fifo" &
logger=$!
httpd -f -vv -p "$port" -h "$root" > "$fifo" 2>&1 &
httpd=$!

stopping=
trap 'stopping=1; kill -TERM "$httpd" 2>/dev/null' TERM INT QUIT
wait "$httpd"
status=$?
if [ -n "$stopping" ]; then
  wait "$httpd"
  status=0
fi
wait "$logger"
rm -f "$fifo"
if [ -n "$stopping" ]; then say "stopped"; else say "httpd exited with status $status"; fi
exit "$status"

# shellcheck shell=sh
# Sourced by ./mvnw and the deploy scripts: picks a JDK >= 21 so nobody has to set JAVA_HOME by hand.
# Order: JAVA_HOME if it is new enough, else the newest JDK under /usr/lib/jvm (Debian's and Temurin's
# packages install there), else `java` on the PATH if it is new enough.
idsync_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}
idsync_select_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    m=$(idsync_java_major "$JAVA_HOME")
    if [ "${m:-0}" -ge 21 ]; then return 0; fi
  fi
  best="" best_major=0
  # mvnw runs with `set -f`; the glob below needs pathname expansion for a moment.
  case $- in *f*) idsync_noglob=1; set +f ;; *) idsync_noglob=0 ;; esac
  for d in /usr/lib/jvm/*; do
    [ -x "$d/bin/javac" ] || continue
    [ -L "$d" ] && continue
    m=$(idsync_java_major "$d")
    if [ "${m:-0}" -gt "$best_major" ]; then best="$d" best_major="$m"; fi
  done
  if [ "$idsync_noglob" = 1 ]; then set -f; fi
  if [ "$best_major" -lt 21 ] && command -v javac >/dev/null 2>&1; then
    d=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    m=$(idsync_java_major "$d")
    if [ "${m:-0}" -gt "$best_major" ]; then best="$d" best_major="$m"; fi
  fi
  if [ "$best_major" -lt 21 ]; then
    echo "idsync: no JDK 21 or newer found (JAVA_HOME='${JAVA_HOME:-}', /usr/lib/jvm, PATH)." >&2
    echo "idsync: install one, e.g. 'apt-get install openjdk-21-jdk-headless' or Temurin 21/25, or set JAVA_HOME." >&2
    return 1
  fi
  JAVA_HOME="$best"
  export JAVA_HOME
}
idsync_select_jdk || exit 1

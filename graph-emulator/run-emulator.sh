#!/bin/sh
# Starts the graph-emulator standalone: Graph on http://localhost:8090, token authority on
# https://localhost:8453, demo tenant "contoso" seeded. Builds the app first when it is missing or
# older than the sources. Extra arguments are passed to the JVM, e.g.
#   graph-emulator/run-emulator.sh -Dquarkus.http.port=18090 -Didsync.emulator.demo.users=5000
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
. "$root/.mvn/select-jdk.sh"
jar="$here/target/quarkus-app/quarkus-run.jar"
if [ ! -f "$jar" ] || [ -n "$(find "$here/src/main" "$here/pom.xml" -newer "$jar" -print -quit)" ]; then
  (cd "$root" && ./mvnw -B -q -pl graph-emulator -am package -DskipTests)
fi
exec "$JAVA_HOME/bin/java" -Xmx2g "$@" -jar "$jar"

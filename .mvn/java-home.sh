# Finds a JDK of version 21 or newer for ./mvnw, ./services and .ci/run (sourced by each, POSIX sh).
# Order: $JAVA_HOME if it is 21+, then `java` on the PATH, then the newest JDK under /usr/lib/jvm or /opt.
# Sets JAVA_HOME and says on stderr which JDK it chose, or what to install when there is none.

shoal_java_version() {
  # The feature number of the JDK at $1 (17, 21, 25, ...), or nothing when $1 has no usable java and javac.
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | awk -F'= ' '/java.specification.version/ { split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]); exit }'
}

shoal_find_jdk() {
  _shoal_min=21
  if [ -n "${JAVA_HOME-}" ]; then
    _v=$(shoal_java_version "$JAVA_HOME")
    if [ -n "$_v" ] && [ "$_v" -ge "$_shoal_min" ]; then SHOAL_JAVA_VERSION=$_v; return 0; fi
  fi
  _path_java=$(command -v java 2>/dev/null || true)
  if [ -n "$_path_java" ]; then
    _home=$(dirname "$(dirname "$(readlink -f "$_path_java")")")
    _v=$(shoal_java_version "$_home")
    if [ -n "$_v" ] && [ "$_v" -ge "$_shoal_min" ]; then JAVA_HOME=$_home; export JAVA_HOME; SHOAL_JAVA_VERSION=$_v; return 0; fi
  fi
  _best=; _best_v=0
  # mvnw runs with `set -f`; the search needs globbing.
  case $- in *f*) _shoal_noglob=1; set +f ;; *) _shoal_noglob= ;; esac
  for _home in /usr/lib/jvm/* /opt/*jdk* /opt/java/*; do
    [ -d "$_home" ] || continue
    _v=$(shoal_java_version "$_home")
    if [ -n "$_v" ] && [ "$_v" -ge "$_shoal_min" ] && [ "$_v" -gt "$_best_v" ]; then _best=$_home; _best_v=$_v; fi
  done
  [ -z "$_shoal_noglob" ] || set -f
  if [ -z "$_best" ]; then
    echo "Shoal needs a JDK 21 or newer; none found in JAVA_HOME, on the PATH or under /usr/lib/jvm." >&2
    echo "Install one, e.g. apt-get install -y openjdk-21-jdk-headless (or temurin-21-jdk), or set JAVA_HOME." >&2
    return 1
  fi
  JAVA_HOME=$_best; export JAVA_HOME; SHOAL_JAVA_VERSION=$_best_v
  echo "using the JDK $_best_v at $JAVA_HOME" >&2
}

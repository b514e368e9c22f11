#!/usr/bin/env bash
# Builds the JVM base image of idsync's service images from Debian packages alone, as a `docker save`
# tarball that Jib takes as `tar://` base (quarkus.jib.base-jvm-image). For machines that reach Debian's
# apt mirror but no container registry; CI and production keep Quarkus' default base from its registry
# (deploy/images/README.md). Needs root (debootstrap, chroot) and debootstrap itself (apt-get install
# debootstrap); takes a few minutes and about 400 MB of disk while it runs.
#
#   sudo deploy/images/build-offline-base.sh [output.tar]    # default: target/images/idsync-jre21-base.tar
#
# The image: Debian trixie minbase + openjdk-21-jre-headless (Java 21 as the services are built for), the
# non-root user 185 (uid of Quarkus' own base images, group 0 as OpenShift expects) owning /home/jboss (the
# working directory Quarkus' Jib build uses), no apt lists, docs or man pages.
set -euo pipefail

out=$(realpath -m "${1:-target/images/idsync-jre21-base.tar}")
suite=${IDSYNC_BASE_SUITE:-trixie}
mirror=${IDSYNC_BASE_MIRROR:-http://deb.debian.org/debian}
tag="idsync/jre21-base:${suite}"

command -v debootstrap >/dev/null || { echo "debootstrap is missing: apt-get install debootstrap" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "debootstrap needs root: run with sudo" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"

debootstrap --variant=minbase --include=openjdk-21-jre-headless "$suite" "$root" "$mirror"

chroot "$root" useradd --uid 185 --gid 0 --home-dir /home/jboss --create-home --shell /usr/sbin/nologin jboss
chmod 0775 "$root/home/jboss"
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/* "$root"/usr/share/doc/* "$root"/usr/share/man/* \
       "$root"/usr/share/info/* "$root"/var/log/*.log "$root"/var/cache/debconf/*-old
# Resolved inside the root file system (/usr/bin/java → /etc/alternatives/java → the JDK's bin/java).
java_home=$(dirname "$(dirname "$(chroot "$root" readlink -f /usr/bin/java)")")

# One layer, the whole root file system (numeric owners, as a container runtime expects).
mkdir -p "$work/image"
tar --numeric-owner --xattrs -C "$root" -cf "$work/layer.tar" .
layer_sha=$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
mkdir -p "$work/image/$layer_sha"
mv "$work/layer.tar" "$work/image/$layer_sha/layer.tar"

created=$(date -u +%Y-%m-%dT%H:%M:%SZ)
cat > "$work/config.json" <<JSON
{"architecture":"amd64","os":"linux","created":"$created",
 "config":{"User":"185","WorkingDir":"/home/jboss",
   "Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","JAVA_HOME=$java_home","LANG=C.UTF-8"]},
 "rootfs":{"type":"layers","diff_ids":["sha256:$layer_sha"]},
 "history":[{"created":"$created","created_by":"deploy/images/build-offline-base.sh: debootstrap $suite minbase + openjdk-21-jre-headless"}]}
JSON
config_sha=$(sha256sum "$work/config.json" | cut -d' ' -f1)
mv "$work/config.json" "$work/image/$config_sha.json"
printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":["%s/layer.tar"]}]\n' "$config_sha" "$tag" "$layer_sha" \
    > "$work/image/manifest.json"

mkdir -p "$(dirname "$out")"
# Entries named plainly (no "./"): Jib refuses to extract an archive entry "./" as outside its target.
tar -C "$work/image" -cf "$out" manifest.json "$config_sha.json" "$layer_sha/layer.tar"
echo "base image $tag ($(du -h "$out" | cut -f1)) written to $out"

#!/usr/bin/env bash
# Builds what a home owner installs: a self-contained EnergyHub (no .NET needed on the machine) as a tarball and as a
# Debian package with the systemd unit, for each runtime asked for (default: linux-x64 and linux-arm64, the Raspberry
# Pi's). Usage: packaging/build.sh [--out DIR] [RID ...]. Needs the .NET SDK and dpkg-deb; writes into DIR (default out/).
set -euo pipefail
cd "$(dirname "$0")/.."

out="out"
rids=()
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,4p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    linux-x64|linux-arm64) rids+=("$1"); shift ;;
    *) echo "packaging/build.sh: unknown argument '$1'; give --out DIR and any of linux-x64, linux-arm64" >&2; exit 2 ;;
  esac
done
[ ${#rids[@]} -eq 0 ] && rids=(linux-x64 linux-arm64)
command -v dpkg-deb >/dev/null || { echo "packaging/build.sh: dpkg-deb is missing; install dpkg (Debian, Ubuntu) and run it again" >&2; exit 2; }

version="$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props | head -1)"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

for rid in "${rids[@]}"; do
  case "$rid" in linux-x64) arch=amd64 ;; linux-arm64) arch=arm64 ;; esac
  echo "== [$rid] publishing EnergyHub $version, self-contained"
  publish="$work/$rid/publish"
  # Its own bin and obj folders (--artifacts-path): a build of the tree in use (tests running from it) is left alone.
  dotnet publish src/EnergyHub -c Release -r "$rid" --self-contained -p:DebugType=none --artifacts-path "$work/artifacts" \
    -o "$publish" -nologo -v quiet
  find "$publish" -name '*.pdb' -delete

  echo "== [$rid] energyhub-$version-$rid.tar.gz"
  tar -C "$work/$rid" --transform "s:^publish:energyhub-$version:" -czf "$out/energyhub-$version-$rid.tar.gz" publish

  echo "== [$rid] energyhub_${version}_$arch.deb"
  root="$work/$rid/deb"
  lib="$root/usr/lib/energyhub"
  install -d "$root/DEBIAN" "$root/usr/lib" "$root/usr/bin" "$root/lib/systemd/system" "$root/etc/energyhub" \
    "$root/usr/share/doc/energyhub" "$root/usr/share/lintian/overrides" "$root/usr/share/man/man1"
  cp -a "$publish" "$lib"
  # Plugins carry native serial-port libraries for every platform; only this one's are used.
  find "$lib/plugins" -mindepth 3 -maxdepth 3 -path '*/runtimes/*' -type d ! -name "$rid" -exec rm -rf {} +
  find "$lib" -type d -exec chmod 0755 {} +
  find "$lib" -type f -exec chmod 0644 {} +
  chmod 0755 "$lib/energyhub" "$lib/createdump"
  ln -s ../lib/energyhub/energyhub "$root/usr/bin/energyhub"
  # The unit of samples/systemd, with the self-contained program instead of dotnet and the dll.
  sed 's:/usr/bin/dotnet /opt/energyhub/energyhub.dll:/usr/lib/energyhub/energyhub:g' samples/systemd/energyhub.service \
    | grep -v '^#   dotnet publish\|^#   sudo cp' > "$root/lib/systemd/system/energyhub.service"
  gzip -9n < packaging/deb/energyhub.1 > "$root/usr/share/man/man1/energyhub.1.gz"
  # The demo as the first config: the daemon starts on a simulated site at once; the unit's folders hold its data and logs.
  grep -v '^DataDir = \|^Dir = ' config/demo.ini > "$root/etc/energyhub/config.ini"
  chmod 0644 "$root/lib/systemd/system/energyhub.service" "$root/etc/energyhub/config.ini"
  cp packaging/deb/copyright "$root/usr/share/doc/energyhub/copyright"
  sed "s/@VERSION@/$version/" packaging/deb/changelog | gzip -9n > "$root/usr/share/doc/energyhub/changelog.gz"
  cp packaging/deb/lintian-overrides "$root/usr/share/lintian/overrides/energyhub"
  chmod 0644 "$root/usr/share/doc/energyhub/"* "$root/usr/share/lintian/overrides/energyhub" "$root/usr/share/man/man1/energyhub.1.gz"
  size="$(du -sk --exclude=DEBIAN "$root" | cut -f1)"
  sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@SIZE@/$size/" packaging/deb/control > "$root/DEBIAN/control"
  echo "/etc/energyhub/config.ini" > "$root/DEBIAN/conffiles"
  install -m 0755 packaging/deb/postinst packaging/deb/postrm "$root/DEBIAN/"
  dpkg-deb --root-owner-group -Zgzip --build "$root" "$out/energyhub_${version}_$arch.deb" >/dev/null
done
echo "Built in $out:"
ls -1 "$out"
